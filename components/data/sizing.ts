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
    readonly averageRecordsPerSecond: number;
    readonly peakRecordsPerSecond: number;
    readonly peakBytesPerSecond: number;
    /** Bytes written in an average 730-hour month. */
    readonly monthlyBytes: number;
}

export function ingestRates(profile: IngestProfile): IngestRates {
    const averageRecordsPerSecond = (profile.devices * profile.messagesPerDevicePerMinute) / 60;
    const peakRecordsPerSecond = averageRecordsPerSecond * profile.peakFactor;
    return {
        averageRecordsPerSecond,
        peakRecordsPerSecond,
        peakBytesPerSecond: peakRecordsPerSecond * profile.averageMessageBytes,
        monthlyBytes: averageRecordsPerSecond * profile.averageMessageBytes * 730 * 3600,
    };
}

/** Provisioned shards: the larger of the byte and record limits at peak, times the headroom, at least one. */
export function shardsFor(profile: IngestProfile, headroomFactor: number = MIN_HEADROOM_FACTOR): number {
    if (headroomFactor < MIN_HEADROOM_FACTOR) {
        throw new Error(`headroom factor must be at least ${MIN_HEADROOM_FACTOR}, got ${headroomFactor}`);
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
} as const satisfies Record<keyof IngestProfile, string>;

export function ingestProfileTags(profile: IngestProfile): Record<string, string> {
    return Object.fromEntries(
        (Object.keys(INGEST_TAG_KEYS) as (keyof IngestProfile)[]).map((k) => [INGEST_TAG_KEYS[k], String(profile[k])]),
    );
}
