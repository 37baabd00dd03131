import { strict as assert } from "assert";
import { IngestProfile, ingestProfileTags, ingestRates, shardsFor } from "../../components/data/sizing";

const base: IngestProfile = { devices: 10000, messagesPerDevicePerMinute: 6, averageMessageBytes: 1024, peakFactor: 2 };

describe("shard sizing", () => {
    it("derives rates from the profile", () => {
        const rates = ingestRates(base);
        assert.equal(rates.averageRecordsPerSecond, 1000);
        assert.equal(rates.peakRecordsPerSecond, 2000);
        assert.equal(rates.peakBytesPerSecond, 2000 * 1024);
        assert.equal(rates.monthlyBytes, 1000 * 1024 * 730 * 3600);
    });

    it("sizes by records when messages are small: 2000 rec/s peak x2 headroom = 4 shards", () => {
        assert.equal(shardsFor(base), 4);
    });

    it("sizes by bytes when messages are large: 2000 x 8 KiB = 15.6 MiB/s x2 = 32 shards", () => {
        assert.equal(shardsFor({ ...base, averageMessageBytes: 8192 }), 32);
    });

    it("applies a larger headroom factor", () => {
        assert.equal(shardsFor(base, 3), 6);
    });

    it("never goes below one shard", () => {
        assert.equal(shardsFor({ ...base, devices: 1 }), 1);
    });

    it("refuses a headroom factor below 2", () => {
        assert.throws(() => shardsFor(base, 1.5), /headroom factor must be at least 2, got 1.5/);
    });

    it("tags the profile for cost tooling", () => {
        assert.deepEqual(ingestProfileTags(base), {
            "iot:ingest:devices": "10000",
            "iot:ingest:messagesPerDevicePerMinute": "6",
            "iot:ingest:averageMessageBytes": "1024",
            "iot:ingest:peakFactor": "2",
        });
    });
});
