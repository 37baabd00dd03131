/** Kinesis sizing from a declared device load: plain functions, no Pulumi. */

/** The device load the platform is sized for. */
export interface IngestProfile {
    /** Devices that push telemetry. */
    readonly devices: number;
    /** Messages each device sends per minute on average. */
    readonly messagesPerDevicePerMinute: number;
    /** Average message size in bytes. */
    readonly averageMessageBytes: number;
    /** Peak load over the average (1 = flat). */
    readonly peakFactor: number;
    /**
     * Device messages the producer (device-gateway) packs into one Kinesis record, e.g. as
     * newline-delimited JSON. Fewer, larger records: fewer shards by the record limit, fewer PUT
     * payload units, and less of Firehose's 5 KB per-record rounding (docs/cost.md). @default 1
     */
    readonly recordsPerKinesisRecord?: number;
}

/**
 * Largest batch: Firehose accepts records of at most 1,000 KiB, below the Kinesis record limit of
 * 1 MiB, so a stream record Firehose must deliver stays under it.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html,
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 */
export const MAX_KINESIS_RECORD_BYTES = 1000 * 1024;

/** Messages per Kinesis record, 1 when the profile does not batch. */
export function batchOf(profile: IngestProfile): number {
    return profile.recordsPerKinesisRecord ?? 1;
}

/**
 * Per-shard write limits: 1 MiB/s and 1,000 records/s.
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 */
export const SHARD_WRITE_BYTES_PER_SECOND = 1024 * 1024;
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;
/** Below twice the peak, one hot partition key or a replay pushes writers into throttling. */
export const MIN_HEADROOM_FACTOR = 2;

export interface IngestRates {
    /** Kinesis records (batches of `recordsPerKinesisRecord` device messages). */
    readonly averageRecordsPerSecond: number;
    readonly peakRecordsPerSecond: number;
    readonly peakBytesPerSecond: number;
    /** Bytes of one Kinesis record. */
    readonly recordBytes: number;
    /** Bytes written in an average 730-hour month. */
    readonly monthlyBytes: number;
}

export function ingestRates(profile: IngestProfile): IngestRates {
    const batch = batchOf(profile);
    const averageMessagesPerSecond = (profile.devices * profile.messagesPerDevicePerMinute) / 60;
    const peakMessagesPerSecond = averageMessagesPerSecond * profile.peakFactor;
    return {
        averageRecordsPerSecond: averageMessagesPerSecond / batch,
        peakRecordsPerSecond: peakMessagesPerSecond / batch,
        peakBytesPerSecond: peakMessagesPerSecond * profile.averageMessageBytes,
        recordBytes: batch * profile.averageMessageBytes,
        monthlyBytes: averageMessagesPerSecond * profile.averageMessageBytes * 730 * 3600,
    };
}

/** Why the profile's batching is impossible, or undefined. */
export function batchProblem(profile: IngestProfile): string | undefined {
    const batch = batchOf(profile);
    if (!Number.isInteger(batch) || batch < 1) {
        return `recordsPerKinesisRecord must be a whole number of at least 1, got ${batch}`;
    }
    const bytes = batch * profile.averageMessageBytes;
    return bytes > MAX_KINESIS_RECORD_BYTES
        ? `recordsPerKinesisRecord ${batch} × averageMessageBytes ${profile.averageMessageBytes} = ${bytes} bytes per record, over the ${MAX_KINESIS_RECORD_BYTES} bytes (1,000 KiB) Firehose accepts`
        : undefined;
}

/** Provisioned shards: the larger of the byte and record limits at peak, times the headroom, at least one. */
export function shardsFor(profile: IngestProfile, headroomFactor: number = MIN_HEADROOM_FACTOR): number {
    if (headroomFactor < MIN_HEADROOM_FACTOR) {
        throw new Error(`headroom factor must be at least ${MIN_HEADROOM_FACTOR}, got ${headroomFactor}`);
    }
    const problem = batchProblem(profile);
    if (problem !== undefined) {
        throw new Error(problem);
    }
    const rates = ingestRates(profile);
    const byBytes = rates.peakBytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND;
    const byRecords = rates.peakRecordsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND;
    return Math.max(1, Math.ceil(Math.max(byBytes, byRecords) * headroomFactor));
}

/** Tag keys that carry the ingest profile on the stream, so cost tooling can price usage without the program. */
export const INGEST_TAG_KEYS = {
    devices: "iot:ingest:devices",
    messagesPerDevicePerMinute: "iot:ingest:messagesPerDevicePerMinute",
    averageMessageBytes: "iot:ingest:averageMessageBytes",
    peakFactor: "iot:ingest:peakFactor",
    recordsPerKinesisRecord: "iot:ingest:recordsPerKinesisRecord",
} as const satisfies Record<keyof IngestProfile, string>;

export function ingestProfileTags(profile: IngestProfile): Record<string, string> {
    const complete: Required<IngestProfile> = { ...profile, recordsPerKinesisRecord: batchOf(profile) };
    return Object.fromEntries(
        (Object.keys(INGEST_TAG_KEYS) as (keyof IngestProfile)[]).map((k) => [INGEST_TAG_KEYS[k], String(complete[k])]),
    );
}
