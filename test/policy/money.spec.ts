import { strict as assert } from "assert";
import { formatUsd, roundCents } from "../../policy/lib/money";

describe("money format", () => {
    it("prints dollars with thousands separators and two decimals", () => {
        assert.equal(formatUsd(1827.2149), "$1,827.21");
        assert.equal(formatUsd(1234567.5), "$1,234,567.50");
        assert.equal(formatUsd(999.999), "$1,000.00");
        assert.equal(formatUsd(600), "$600.00");
        assert.equal(formatUsd(0), "$0.00");
    });

    it("puts the sign before the dollar sign, and prints no negative zero", () => {
        assert.equal(formatUsd(-5), "-$5.00");
        assert.equal(formatUsd(-1234.5), "-$1,234.50");
        assert.equal(formatUsd(-0.001), "$0.00");
    });

    it("rounds halves of a cent up although their binary value is just below", () => {
        // 1.005 is stored as 1.00499999999999989...; Math.round(1.005 * 100) / 100 gives 1.
        assert.equal(roundCents(1.005), 1.01);
        assert.equal(roundCents(-1.005), -1.01);
        assert.equal(roundCents(363.40625), 363.41);
        assert.equal(formatUsd(1.005), "$1.01");
    });

    it("shows a missing amount instead of hiding it", () => {
        assert.equal(formatUsd(NaN), "$NaN");
    });
});
