/**
 * CloudWatch alarms for the data path, which the cluster's Prometheus cannot see. Pure: thresholds
 * come from the stream's and the delivery stream's own settings, so they move with the config.
 */

/** Fraction of the stream's retention that the slowest consumer may lag before the alarm fires. */
export const ITERATOR_AGE_FRACTION_OF_RETENTION = 0.1;

/** Delivery may lag this long beyond the buffer interval before the lake is called stale. */
export const FRESHNESS_GRACE_SECONDS = 900;

/** CloudWatch evaluates every alarm here over 5-minute periods. */
export const ALARM_PERIOD_SECONDS = 300;

export const DATA_PATH_ALARM_NAMES = [
    "KinesisIteratorAgeHigh",
    "KinesisWriteThrottled",
    "KinesisPutRecordsFailed",
    "FirehoseDeliveryStale",
    "FirehoseDeliveryFailing",
] as const;

export type DataPathAlarmName = (typeof DATA_PATH_ALARM_NAMES)[number];

export interface DataPathFacts {
    readonly retentionHours: number;
    readonly bufferingIntervalSeconds: number;
}

/** Which resource an alarm watches; its name becomes the metric dimension at deploy time. */
export const ALARM_DIMENSIONS = {
    stream: "StreamName",
    deliveryStream: "DeliveryStreamName",
} as const;

/** The parts of an `aws.cloudwatch.MetricAlarm` that differ between the alarms. */
export interface AlarmSpec {
    readonly alertName: DataPathAlarmName;
    readonly description: string;
    readonly namespace: "AWS/Kinesis" | "AWS/Firehose";
    readonly metricName: string;
    readonly watches: keyof typeof ALARM_DIMENSIONS;
    readonly statistic: "Maximum" | "Sum" | "Average" | "Minimum";
    readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
    readonly threshold: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    /** What no data means for this metric; see each alarm's comment. */
    readonly treatMissingData: "breaching" | "notBreaching" | "missing";
}

/**
 * Records older than the retention are gone. Alarming at a tenth of it leaves the on-call nine
 * tenths (prod: about 6 days, staging: about 43 hours) to get consumers draining again; a stuck
 * consumer shows up sooner in its own Prometheus alerts (crash loop, restarts).
 */
export function iteratorAgeThresholdMs(retentionHours: number): number {
    if (!(Number.isFinite(retentionHours) && retentionHours > 0)) {
        throw new Error(`retentionHours must be a positive number, got ${retentionHours}`);
    }
    return Math.round(retentionHours * 3600 * 1000 * ITERATOR_AGE_FRACTION_OF_RETENTION);
}

/** Firehose holds records up to the buffer interval by design; only lag beyond that is a problem. */
export function dataFreshnessThresholdSeconds(bufferingIntervalSeconds: number): number {
    if (!(Number.isInteger(bufferingIntervalSeconds) && bufferingIntervalSeconds >= 0)) {
        throw new Error(`bufferingIntervalSeconds must be a whole number of at least 0, got ${bufferingIntervalSeconds}`);
    }
    return bufferingIntervalSeconds + FRESHNESS_GRACE_SECONDS;
}

export function dataPathAlarms(facts: DataPathFacts): AlarmSpec[] {
    const ageMs = iteratorAgeThresholdMs(facts.retentionHours);
    const freshness = dataFreshnessThresholdSeconds(facts.bufferingIntervalSeconds);
    return [
        {
            alertName: "KinesisIteratorAgeHigh",
            description: `The slowest consumer of the telemetry stream lags more than ${ageMs / 3_600_000} h (a tenth of the ${facts.retentionHours} h retention); records expire unread at the retention.`,
            namespace: "AWS/Kinesis",
            metricName: "GetRecords.IteratorAgeMilliseconds",
            watches: "stream",
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: ageMs,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // Firehose always reads the stream; no GetRecords at all means every consumer is down.
            treatMissingData: "breaching",
        },
        {
            alertName: "KinesisWriteThrottled",
            description: `Writes to the telemetry stream are throttled for 15 minutes: the device gateway retries, then drops telemetry.`,
            namespace: "AWS/Kinesis",
            metricName: "WriteProvisionedThroughputExceeded",
            watches: "stream",
            statistic: "Sum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // No writes, no throttling.
            treatMissingData: "notBreaching",
        },
        {
            alertName: "KinesisPutRecordsFailed",
            description: `PutRecords calls to the telemetry stream lose records to internal failures in 2 of the last 3 periods.`,
            namespace: "AWS/Kinesis",
            metricName: "PutRecords.FailedRecords",
            watches: "stream",
            statistic: "Sum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            treatMissingData: "notBreaching",
        },
        {
            alertName: "FirehoseDeliveryStale",
            description: `The oldest record in the delivery stream is more than ${freshness} s old (buffer interval ${facts.bufferingIntervalSeconds} s + ${FRESHNESS_GRACE_SECONDS} s): the lake is falling behind.`,
            namespace: "AWS/Firehose",
            metricName: "DeliveryToS3.DataFreshness",
            watches: "deliveryStream",
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: freshness,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // Firehose reports freshness only while it holds records; silence keeps the last state.
            treatMissingData: "missing",
        },
        {
            alertName: "FirehoseDeliveryFailing",
            description: `Fewer than all S3 puts of the delivery stream succeed for 15 minutes; Firehose retries for 24 h, then writes to the errors/ prefix.`,
            namespace: "AWS/Firehose",
            metricName: "DeliveryToS3.Success",
            watches: "deliveryStream",
            statistic: "Average",
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // No delivery attempts is not a failure; a stuck stream shows in FirehoseDeliveryStale.
            treatMissingData: "notBreaching",
        },
    ];
}
