// The ingest path: KMS keys, the Kinesis stream and the Firehose delivery stream.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceCheck } from "../lib/policy";
import { at, isUnknown, toNumber } from "../lib/values";

export const MIN_STREAM_RETENTION_HOURS = 48;
/** Kinesis keeps records 24 hours when retentionPeriod is not set. */
const DEFAULT_STREAM_RETENTION_HOURS = 24;

const absent = (v: unknown) => v === undefined || v === "";

export function kmsKeyRotationPolicy(): ResourceValidationPolicy {
    return resourceCheck({
        name: "kms-key-rotation",
        description: "Symmetric KMS keys rotate their key material automatically.",
        enforcementLevel: "mandatory",
        types: ["aws:kms/key:Key"],
        check: (r, report) => {
            const spec = at(r.props, "customerMasterKeySpec");
            const rotation = at(r.props, "enableKeyRotation");
            // AWS supports automatic rotation only for symmetric encryption keys.
            if (isUnknown(rotation) || isUnknown(spec) || (spec !== undefined && spec !== "SYMMETRIC_DEFAULT")) {
                return;
            }
            if (rotation !== true) {
                report(`KMS key '${r.name}' has enableKeyRotation ${rotation === undefined ? "unset" : String(rotation)}; it must be true.`);
            }
        },
    });
}

export function kinesisStreamBaselinePolicy(): ResourceValidationPolicy {
    return resourceCheck({
        name: "kinesis-stream-baseline",
        description: `Kinesis streams are encrypted with a KMS key and keep records at least ${MIN_STREAM_RETENTION_HOURS} hours.`,
        enforcementLevel: "mandatory",
        types: ["aws:kinesis/stream:Stream"],
        check: (r, report) => {
            const encryption = at(r.props, "encryptionType");
            if (!isUnknown(encryption) && encryption !== "KMS") {
                report(`Kinesis stream '${r.name}' has encryptionType ${encryption === undefined ? "unset" : JSON.stringify(encryption)}; it must be "KMS" with kmsKeyId.`);
            } else if (encryption === "KMS" && absent(at(r.props, "kmsKeyId"))) {
                report(`Kinesis stream '${r.name}' uses KMS encryption without kmsKeyId; set it to a customer managed key.`);
            }
            const retention = toNumber(at(r.props, "retentionPeriod")) ?? DEFAULT_STREAM_RETENTION_HOURS;
            if (typeof retention === "number" && retention < MIN_STREAM_RETENTION_HOURS) {
                report(`Kinesis stream '${r.name}' keeps records ${retention} hours; retentionPeriod must be at least ${MIN_STREAM_RETENTION_HOURS}.`);
            }
        },
    });
}

export function firehoseBaselinePolicy(): ResourceValidationPolicy {
    return resourceCheck({
        name: "firehose-baseline",
        description: "Firehose delivery streams read from Kinesis, deliver to extended_s3 with a KMS key, an error output prefix and CloudWatch error logging.",
        enforcementLevel: "mandatory",
        types: ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"],
        check: (r, report) => {
            const n = `Firehose '${r.name}'`;
            const destination = at(r.props, "destination");
            if (!isUnknown(destination) && destination !== "extended_s3") {
                report(`${n} has destination ${JSON.stringify(destination)}; it must be "extended_s3".`);
            }
            if (at(r.props, "kinesisSourceConfiguration") === undefined) {
                report(`${n} has no kinesisSourceConfiguration; it must read from the Kinesis stream.`);
            }
            const s3 = at(r.props, "extendedS3Configuration");
            if (isUnknown(s3)) {
                return;
            }
            if (absent(at(s3, "kmsKeyArn"))) {
                report(`${n} does not set extendedS3Configuration.kmsKeyArn; delivered objects must be encrypted with a KMS key.`);
            }
            if (absent(at(s3, "errorOutputPrefix"))) {
                report(`${n} does not set extendedS3Configuration.errorOutputPrefix; failed records would mix with good data.`);
            }
            const logging = at(s3, "cloudwatchLoggingOptions", "enabled");
            if (!isUnknown(logging) && logging !== true) {
                report(`${n} has extendedS3Configuration.cloudwatchLoggingOptions.enabled ${logging === undefined ? "unset" : String(logging)}; it must be true.`);
            }
        },
    });
}
