/**
 * Least-privilege IAM documents for the data path, as plain functions so the applications' IRSA
 * roles get exactly these and tests can read them without Pulumi.
 */

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: readonly string[];
    readonly Resource: readonly string[] | string;
    readonly Principal?: unknown;
    readonly Condition?: unknown;
}

/** What a consumer needs to find shards and read them: the stream processors and Firehose alike. */
const STREAM_READ_ACTIONS = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"];

/** Device gateways: write records to this stream, encrypted with its key. */
export function producerPolicy(streamArn: string, keyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PutRecords", Effect: "Allow", Action: ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary", "kinesis:ListShards"], Resource: [streamArn] },
            { Sid: "EncryptRecords", Effect: "Allow", Action: ["kms:GenerateDataKey"], Resource: [keyArn] },
        ],
    };
}

/** Stream processors: read shards of this stream and decrypt them. */
export function streamReaderPolicy(streamArn: string, keyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadShards", Effect: "Allow", Action: STREAM_READ_ACTIONS, Resource: [streamArn] },
            { Sid: "DecryptRecords", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [keyArn] },
        ],
    };
}

/** The telemetry API: list and read objects of the data lake, and decrypt them. */
export function lakeReaderPolicy(bucketArn: string, keyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListLake", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
            { Sid: "ReadLake", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucketArn}/*`] },
            { Sid: "DecryptLake", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [keyArn] },
        ],
    };
}

/** Firehose: read the stream, write the lake, log delivery errors. */
export function deliveryPolicy(streamArn: string, bucketArn: string, keyArn: string, logGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadStream", Effect: "Allow", Action: STREAM_READ_ACTIONS, Resource: [streamArn] },
            {
                Sid: "WriteLake",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                Resource: [bucketArn, `${bucketArn}/*`],
            },
            { Sid: "UseKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [keyArn] },
            { Sid: "LogErrors", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [`${logGroupArn}:*`] },
        ],
    };
}

/** Refuses plain-HTTP access to the bucket, whoever asks. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [denyInsecureTransport(bucketArn)] };
}

function denyInsecureTransport(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * The access-log bucket's one policy: S3's logging service may write the source bucket's logs under
 * `prefix`, and nobody may use plain HTTP. Log delivery needs a policy grant rather than ACLs because the
 * bucket enforces bucket-owner ownership; the source conditions stop another bucket (or account) from
 * writing into this one through the same service principal. No deny on uploads without an encryption
 * header: log delivery sends none and would be refused; default encryption covers the objects.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 */
export function accessLogBucketPolicy(logBucketArn: string, prefix: string, sourceBucketArn: string, sourceAccount: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "S3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: ["s3:PutObject"],
                Resource: [`${logBucketArn}/${prefix}*`],
                Condition: {
                    ArnLike: { "aws:SourceArn": sourceBucketArn },
                    StringEquals: { "aws:SourceAccount": sourceAccount },
                },
            },
            denyInsecureTransport(logBucketArn),
        ],
    };
}

/** The account field of an ARN (`arn:partition:service:region:account:resource`). */
export function arnAccount(arn: string): string {
    const account = arn.split(":")[4];
    if (!account || !/^\d{12}$/.test(account)) {
        throw new Error(`ARN ${arn} names no 12-digit account`);
    }
    return account;
}

/**
 * The data-path canary: put records on this stream, list and read the objects Firehose writes under
 * `prefix` in the lake, and decrypt them only through S3 (`kms:ViaService`), which decrypts
 * SSE-KMS objects on the reader's behalf.
 */
export function canaryPolicy(streamArn: string, keyArn: string, bucketArn: string, prefix: string, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PutCanary", Effect: "Allow", Action: ["kinesis:PutRecord"], Resource: [streamArn] },
            // As for the device gateway (producerPolicy): Kinesis server-side encryption asks KMS for a data key with the producer's permissions.
            { Sid: "EncryptCanary", Effect: "Allow", Action: ["kms:GenerateDataKey"], Resource: [keyArn] },
            { Sid: "ListDelivered", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn], Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
            { Sid: "ReadDelivered", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${bucketArn}/${prefix}*`] },
            {
                Sid: "DecryptDelivered",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [keyArn],
                Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
            },
        ],
    };
}
