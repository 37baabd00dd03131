import { z } from "zod";
import { STREAM_MODES } from "../../components/data/DataPipeline";
import { MAX_KINESIS_RECORD_BYTES, MIN_HEADROOM_FACTOR } from "../../components/data/sizing";
import { LOG_RETENTION_DAYS } from "./network";
import { intBetween, oneOf, positive, strictObject } from "./schema";

const ingestSchema = strictObject({
    devices: positive("devices").int({ error: "must be a whole number of devices" }),
    messagesPerDevicePerMinute: positive("messages per device per minute"),
    averageMessageBytes: positive("bytes").max(1024 * 1024, { error: "must not exceed 1 MiB, the Kinesis record limit" }),
    peakFactor: z.number({ error: "must be a number" }).min(1, { error: "must be at least 1 (peak over average load)" }).max(100, { error: "must be from 1 to 100" }),
    /** Device messages the ingest service packs into one Kinesis record (docs/cost.md, "Batching"). */
    recordsPerKinesisRecord: intBetween(1, 1000).default(1),
}).superRefine((ingest, ctx) => {
    const bytes = ingest.recordsPerKinesisRecord * ingest.averageMessageBytes;
    if (bytes > MAX_KINESIS_RECORD_BYTES) {
        ctx.addIssue({
            code: "custom",
            path: ["recordsPerKinesisRecord"],
            message: `with averageMessageBytes ${ingest.averageMessageBytes} makes ${bytes}-byte records, over the ${MAX_KINESIS_RECORD_BYTES} bytes (1,000 KiB) a Firehose record may have`,
        });
    }
});

const streamSchema = strictObject({
    mode: oneOf(STREAM_MODES).default("provisioned"),
    headroomFactor: z
        .number({ error: "must be a number" })
        .min(MIN_HEADROOM_FACTOR, { error: `must be at least ${MIN_HEADROOM_FACTOR}` })
        .max(10, { error: `must be from ${MIN_HEADROOM_FACTOR} to 10` })
        .default(MIN_HEADROOM_FACTOR),
    /** Two days at least, so a weekend outage of the processors loses nothing. Kinesis caps it at 8760. */
    retentionHours: intBetween(48, 8760).default(168),
});

const lakeSchema = strictObject({
    infrequentAccessAfterDays: intBetween(30, 3650).default(30),
    glacierAfterDays: intBetween(31, 3650).default(90),
    expireAfterDays: intBetween(32, 36500),
    noncurrentVersionExpireAfterDays: intBetween(1, 3650).default(30),
    /** Server access logs of the lake (who read what); an incident or a customer question looks back this far. */
    accessLogExpireAfterDays: intBetween(1, 3650).default(365),
}).superRefine((lake, ctx) => {
    // S3 refuses a Glacier transition less than 30 days after the Standard-IA one.
    if (lake.glacierAfterDays < lake.infrequentAccessAfterDays + 30) {
        ctx.addIssue({ code: "custom", path: ["glacierAfterDays"], message: `must be at least 30 days after infrequentAccessAfterDays (${lake.infrequentAccessAfterDays})` });
    }
    if (lake.expireAfterDays <= lake.glacierAfterDays) {
        ctx.addIssue({ code: "custom", path: ["expireAfterDays"], message: `must be later than glacierAfterDays (${lake.glacierAfterDays})` });
    }
});

const deliverySchema = strictObject({
    bufferingIntervalSeconds: intBetween(0, 900).default(300),
    bufferingSizeMb: intBetween(1, 128).default(64),
    logRetentionDays: z
        .number({ error: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}` })
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
            error: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(30),
});

export const dataSchema = strictObject({
    ingest: ingestSchema,
    stream: streamSchema.prefault({}),
    lake: lakeSchema,
    delivery: deliverySchema.prefault({}),
});
