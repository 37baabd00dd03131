import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy, arnAccount, deliveryPolicy, lakeReaderPolicy, producerPolicy, streamReaderPolicy, tlsOnlyBucketPolicy } from "./policies";
import { batchProblem, IngestProfile, MIN_HEADROOM_FACTOR, ingestProfileTags, shardsFor } from "./sizing";

export const STREAM_MODES = ["provisioned", "onDemand"] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

/** Where Firehose writes telemetry in the lake, before the date partitions. */
export const TELEMETRY_PREFIX = "telemetry/";

/** Key prefix of the lake's server access logs in the access-log bucket. */
export const LAKE_ACCESS_LOG_PREFIX = "lake/";

/** Both buckets: parts of an upload that never completed are billed until removed. */
const ABORT_INCOMPLETE_UPLOADS = {
    id: "abort-incomplete-uploads",
    status: "Enabled",
    filter: {},
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};

/** Ages (days) at which lake objects move to cheaper storage and expire. */
export interface LakeLifecycle {
    /** @default 30 (the S3 minimum for Standard-IA) */
    readonly infrequentAccessAfterDays?: number;
    /** @default 90 */
    readonly glacierAfterDays?: number;
    readonly expireAfterDays: number;
    /** Days an overwritten or deleted version is kept (lake and access logs). @default 30 */
    readonly noncurrentVersionExpireAfterDays?: number;
    /** Days the lake's server access logs (who read what) are kept. @default 365 */
    readonly accessLogExpireAfterDays?: number;
}

/** Kinesis stream, Firehose and the S3 data lake for device telemetry. */
export interface DataPipelineArgs {
    /** Declared device load; provisioned shards are sized from it. */
    readonly ingest: IngestProfile;
    /** @default "provisioned" */
    readonly streamMode?: StreamMode;
    /** Shards over the peak need, at least 2. @default 2 */
    readonly headroomFactor?: number;
    /** Hours records stay replayable in the stream, 48 to 8760. @default 168 */
    readonly retentionHours?: number;
    readonly lifecycle: LakeLifecycle;
    /** Firehose flushes after this many seconds... @default 300 */
    readonly bufferingIntervalSeconds?: number;
    /** ...or this many MiB, whichever comes first. @default 64 */
    readonly bufferingSizeMb?: number;
    /** Days Firehose error logs are kept. @default 30 */
    readonly logRetentionDays?: number;
    readonly tags: Readonly<Record<string, string>>;
}

export class DataPipeline extends pulumi.ComponentResource {
    public readonly streamName: pulumi.Output<string>;
    public readonly streamArn: pulumi.Output<string>;
    /** Provisioned shards, or undefined in on-demand mode. */
    public readonly shardCount: number | undefined;
    public readonly retentionHours: number;
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    /** Bucket receiving the lake's server access logs under LAKE_ACCESS_LOG_PREFIX. */
    public readonly accessLogBucketName: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;
    public readonly deliveryStreamName: pulumi.Output<string>;
    public readonly bufferingIntervalSeconds: number;
    /** IAM policy JSON for the device gateway: put records on this stream. */
    public readonly producerPolicyJson: pulumi.Output<string>;
    /** IAM policy JSON for stream processors: read this stream. */
    public readonly streamReaderPolicyJson: pulumi.Output<string>;
    /** IAM policy JSON for the telemetry API: read this bucket. */
    public readonly lakeReaderPolicyJson: pulumi.Output<string>;

    constructor(name: string, args: DataPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:data:DataPipeline", name, {}, opts);

        const mode = args.streamMode ?? "provisioned";
        const headroom = args.headroomFactor ?? MIN_HEADROOM_FACTOR;
        const retentionHours = args.retentionHours ?? 168;
        const lifecycle = {
            infrequentAccessAfterDays: 30,
            glacierAfterDays: 90,
            noncurrentVersionExpireAfterDays: 30,
            accessLogExpireAfterDays: 365,
            ...args.lifecycle,
        };
        this.validate(args, mode, headroom, retentionHours, lifecycle);
        const tags = args.tags;
        const child = { parent: this };

        const key = new aws.kms.Key(`${name}-key`, {
            description: `Telemetry stream and data lake of ${name}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags,
        }, child);
        new aws.kms.Alias(`${name}-key`, { name: `alias/${name}-data`, targetKeyId: key.keyId }, child);

        this.shardCount = mode === "provisioned" ? shardsFor(args.ingest, headroom) : undefined;
        const stream = new aws.kinesis.Stream(`${name}-telemetry`, {
            shardCount: this.shardCount,
            streamModeDetails: { streamMode: mode === "provisioned" ? "PROVISIONED" : "ON_DEMAND" },
            retentionPeriod: retentionHours,
            encryptionType: "KMS",
            kmsKeyId: key.arn,
            // Shard-level metrics show a hot partition key; stream-level averages hide it.
            shardLevelMetrics: ["IncomingBytes", "IncomingRecords", "WriteProvisionedThroughputExceeded", "IteratorAgeMilliseconds"],
            tags: { ...tags, ...ingestProfileTags(args.ingest) },
        }, child);

        const bucket = new aws.s3.Bucket(`${name}-lake`, { forceDestroy: false, tags }, child);
        new aws.s3.BucketOwnershipControls(`${name}-lake`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, child);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-lake`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketVersioning(`${name}-lake`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-lake`, {
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                // One data key per bucket instead of per object: far fewer KMS requests for Firehose's many small objects.
                bucketKeyEnabled: true,
            }],
        }, child);
        new aws.s3.BucketPolicy(`${name}-lake`, {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
        }, { ...child, dependsOn: [publicAccess] });
        new aws.s3.BucketLifecycleConfiguration(`${name}-lake`, {
            bucket: bucket.id,
            rules: [
                {
                    id: "tier-and-expire",
                    status: "Enabled",
                    filter: {},
                    transitions: [
                        { days: lifecycle.infrequentAccessAfterDays, storageClass: "STANDARD_IA" },
                        { days: lifecycle.glacierAfterDays, storageClass: "GLACIER_IR" },
                    ],
                    expiration: { days: lifecycle.expireAfterDays },
                    noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionExpireAfterDays },
                },
                ABORT_INCOMPLETE_UPLOADS,
            ],
        }, child);

        // Server access logs of the lake: the telemetry API serves large historical fetches from it, and
        // who read what is what an incident or a customer's data question needs. They go to a bucket of
        // their own (a bucket logging to itself logs its own log writes, endlessly), which does not log.
        const accessLogs = new aws.s3.Bucket(`${name}-access-logs`, { forceDestroy: false, tags }, child);
        // ACLs off: log delivery is granted by the bucket policy below, and log objects belong to this account.
        new aws.s3.BucketOwnershipControls(`${name}-access-logs`, {
            bucket: accessLogs.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, child);
        const accessLogsPublicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-access-logs`, {
            bucket: accessLogs.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketVersioning(`${name}-access-logs`, {
            bucket: accessLogs.id,
            versioningConfiguration: { status: "Enabled" },
        }, child);
        // SSE-S3, not the data key: SSE-S3 is the only default encryption the S3 User Guide supports on a
        // server access log target (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-access-logs`, {
            bucket: accessLogs.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, child);
        // The account comes from the data key's ARN (created in this account), which saves a provider call.
        const accessLogsPolicy = new aws.s3.BucketPolicy(`${name}-access-logs`, {
            bucket: accessLogs.id,
            policy: pulumi
                .all([accessLogs.arn, bucket.arn, key.arn])
                .apply(([logArn, lakeArn, keyArn]) => JSON.stringify(accessLogBucketPolicy(logArn, LAKE_ACCESS_LOG_PREFIX, lakeArn, arnAccount(keyArn)))),
        }, { ...child, dependsOn: [accessLogsPublicAccess] });
        new aws.s3.BucketLifecycleConfiguration(`${name}-access-logs`, {
            bucket: accessLogs.id,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: lifecycle.accessLogExpireAfterDays },
                    noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionExpireAfterDays },
                },
                ABORT_INCOMPLETE_UPLOADS,
            ],
        }, child);
        new aws.s3.BucketLogging(`${name}-lake`, {
            bucket: bucket.id,
            targetBucket: accessLogs.id,
            targetPrefix: LAKE_ACCESS_LOG_PREFIX,
            // <prefix><account>/<region>/<bucket>/YYYY/MM/DD/...: Athena can prune a query to the days in question.
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        }, { ...child, dependsOn: [accessLogsPolicy] });

        const deliveryLogs = new aws.cloudwatch.LogGroup(`${name}-delivery`, {
            retentionInDays: args.logRetentionDays ?? 30,
            tags,
        }, child);
        const deliveryLogStream = new aws.cloudwatch.LogStream(`${name}-delivery`, {
            logGroupName: deliveryLogs.name,
            name: "S3Delivery",
        }, child);
        const deliveryRole = new aws.iam.Role(`${name}-delivery`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, child);
        const deliveryRolePolicy = new aws.iam.RolePolicy(`${name}-delivery`, {
            role: deliveryRole.name,
            policy: pulumi
                .all([stream.arn, bucket.arn, key.arn, deliveryLogs.arn])
                .apply(([streamArn, bucketArn, keyArn, logArn]) => JSON.stringify(deliveryPolicy(streamArn, bucketArn, keyArn, logArn))),
        }, child);

        const bufferingIntervalSeconds = args.bufferingIntervalSeconds ?? 300;
        const delivery = new aws.kinesis.FirehoseDeliveryStream(`${name}-delivery`, {
            destination: "extended_s3",
            kinesisSourceConfiguration: { kinesisStreamArn: stream.arn, roleArn: deliveryRole.arn },
            extendedS3Configuration: {
                roleArn: deliveryRole.arn,
                bucketArn: bucket.arn,
                kmsKeyArn: key.arn,
                compressionFormat: "GZIP",
                bufferingInterval: bufferingIntervalSeconds,
                bufferingSize: args.bufferingSizeMb ?? 64,
                // Hive-style partitions let Athena prune by date instead of scanning the lake.
                prefix: `${TELEMETRY_PREFIX}year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`,
                errorOutputPrefix: "errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
                cloudwatchLoggingOptions: { enabled: true, logGroupName: deliveryLogs.name, logStreamName: deliveryLogStream.name },
            },
            tags,
        }, { ...child, dependsOn: [deliveryRolePolicy] });

        this.streamName = stream.name;
        this.streamArn = stream.arn;
        this.retentionHours = retentionHours;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.accessLogBucketName = accessLogs.bucket;
        this.keyArn = key.arn;
        this.deliveryStreamName = delivery.name;
        this.bufferingIntervalSeconds = bufferingIntervalSeconds;
        this.producerPolicyJson = pulumi.all([stream.arn, key.arn]).apply(([s, k]) => JSON.stringify(producerPolicy(s, k)));
        this.streamReaderPolicyJson = pulumi.all([stream.arn, key.arn]).apply(([s, k]) => JSON.stringify(streamReaderPolicy(s, k)));
        this.lakeReaderPolicyJson = pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => JSON.stringify(lakeReaderPolicy(b, k)));
        this.registerOutputs({
            streamName: this.streamName,
            streamArn: this.streamArn,
            bucketName: this.bucketName,
            accessLogBucketName: this.accessLogBucketName,
            deliveryStreamName: this.deliveryStreamName,
        });
    }

    private validate(args: DataPipelineArgs, mode: string, headroom: number, retentionHours: number, lifecycle: Required<LakeLifecycle>): void {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(message, this);
        };
        if (!STREAM_MODES.includes(mode as StreamMode)) {
            fail(`streamMode must be one of ${STREAM_MODES.join(", ")}, got "${mode}"`);
        }
        for (const [key, value] of Object.entries(args.ingest)) {
            if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
                fail(`ingest.${key} must be a number greater than 0, got ${value}`);
            }
        }
        if (args.ingest.peakFactor < 1) {
            fail(`ingest.peakFactor must be at least 1, got ${args.ingest.peakFactor}`);
        }
        const batch = batchProblem(args.ingest);
        if (batch !== undefined) {
            fail(`ingest.${batch}`);
        }
        if (headroom < MIN_HEADROOM_FACTOR) {
            fail(`headroomFactor must be at least ${MIN_HEADROOM_FACTOR}, got ${headroom}`);
        }
        if (!Number.isInteger(retentionHours) || retentionHours < 48 || retentionHours > 8760) {
            fail(`retentionHours must be a whole number from 48 to 8760, got ${retentionHours}`);
        }
        // S3 requires 30 days in Standard before IA, and 30 more before the Glacier transition.
        if (!(lifecycle.infrequentAccessAfterDays >= 30 && lifecycle.glacierAfterDays >= lifecycle.infrequentAccessAfterDays + 30 && lifecycle.expireAfterDays > lifecycle.glacierAfterDays)) {
            fail(`lifecycle must satisfy 30 <= infrequentAccessAfterDays, glacierAfterDays >= infrequentAccessAfterDays + 30, expireAfterDays > glacierAfterDays; got ${lifecycle.infrequentAccessAfterDays}, ${lifecycle.glacierAfterDays}, ${lifecycle.expireAfterDays}`);
        }
        if (!Number.isInteger(lifecycle.accessLogExpireAfterDays) || lifecycle.accessLogExpireAfterDays < 1) {
            fail(`lifecycle.accessLogExpireAfterDays must be a whole number of days, at least 1, got ${lifecycle.accessLogExpireAfterDays}`);
        }
    }
}
