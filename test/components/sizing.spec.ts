import { strict as assert } from "assert";
import { monthlyUsage } from "../../policy/cost";
import { PRICE_TABLE } from "../../policy/pricing";
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
            "iot:ingest:recordsPerKinesisRecord": "1",
        });
    });

    describe("batching device messages into Kinesis records (recordsPerKinesisRecord)", () => {
        const small: IngestProfile = { ...base, averageMessageBytes: 200 };

        it("divides the record rate, not the byte rate", () => {
            const rates = ingestRates({ ...base, recordsPerKinesisRecord: 5 });
            assert.equal(rates.peakRecordsPerSecond, 400);
            assert.equal(rates.peakBytesPerSecond, 2000 * 1024);
            assert.equal(rates.recordBytes, 5 * 1024);
        });

        it("needs fewer shards when the record limit binds: 200-byte messages, 4 shards → 1", () => {
            // 2,000 rec/s × 200 B = 0.38 MiB/s: records bind unbatched (2 × 2 = 4), bytes once batched (0.38 × 2 → 1)
            assert.equal(shardsFor(small), 4);
            assert.equal(shardsFor({ ...small, recordsPerKinesisRecord: 10 }), 1);
        });

        it("keeps the shards where bytes already bind: prod's 1 KiB messages stay at 4", () => {
            assert.equal(shardsFor({ ...base, recordsPerKinesisRecord: 5 }), 4);
        });

        it("bills Firehose and PUT payload units per batch: 5 × 1 KiB per record cuts both 5x, S3 bytes unchanged", () => {
            const one = monthlyUsage({ ...base, recordsPerKinesisRecord: 1 }, PRICE_TABLE.hoursPerMonth);
            const five = monthlyUsage({ ...base, recordsPerKinesisRecord: 5 }, PRICE_TABLE.hoursPerMonth);
            assert.equal(five.records * 5, one.records);
            assert.equal(five.firehoseIngestGb * 5, one.firehoseIngestGb);
            assert.equal(five.putPayloadUnits * 5, one.putPayloadUnits);
            assert.equal(five.rawGb, one.rawGb);
            // six 1 KiB messages make a 6 KiB record, billed by Firehose as 10 KiB: worse per byte than five
            const six = monthlyUsage({ ...base, recordsPerKinesisRecord: 6 }, PRICE_TABLE.hoursPerMonth);
            assert.ok(six.firehoseIngestGb > five.firehoseIngestGb);
        });

        it("refuses a batch larger than a Firehose record", () => {
            assert.throws(() => shardsFor({ ...base, recordsPerKinesisRecord: 1001 }), /recordsPerKinesisRecord 1001 × averageMessageBytes 1024 = 1025024 bytes per record, over the 1024000 bytes/);
        });
    });
});
