import { strict as assert } from "assert";
import { MINIMUM_STORAGE_DAYS, shortStays } from "../../components/data/lifecycle";

describe("lake storage classes and their minimum durations", () => {
    it("bills Standard-IA for 30 days and Glacier Instant Retrieval for 90 at least", () => {
        assert.deepEqual(MINIMUM_STORAGE_DAYS, { STANDARD_IA: 30, GLACIER_IR: 90 });
    });

    it("finds no short stay when each class is kept at least its minimum", () => {
        assert.deepEqual(shortStays({ infrequentAccessAfterDays: 30, glacierAfterDays: 90, expireAfterDays: 1095 }), []);
        assert.deepEqual(shortStays({ infrequentAccessAfterDays: 30, glacierAfterDays: 60, expireAfterDays: 150 }), []);
    });

    it("finds Glacier Instant Retrieval left 30 days after entering it", () => {
        assert.deepEqual(shortStays({ infrequentAccessAfterDays: 30, glacierAfterDays: 60, expireAfterDays: 90 }), [
            { storageClass: "GLACIER_IR", enteredBy: "glacierAfterDays", leftBy: "expireAfterDays", days: 30, minimumDays: 90 },
        ]);
    });

    it("finds Standard-IA left before 30 days", () => {
        const [stay] = shortStays({ infrequentAccessAfterDays: 30, glacierAfterDays: 45, expireAfterDays: 400 });
        assert.deepEqual([stay.storageClass, stay.days], ["STANDARD_IA", 15]);
    });
});
