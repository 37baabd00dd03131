import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnAccount } from "../data/policies";
import { ALARM_DIMENSIONS, ALARM_PERIOD_SECONDS, dataPathAlarms } from "./alarms";
import { asResourceError } from "./errors";
import { runbookUrl } from "./severity";

/** CloudWatch alarms on the Kinesis stream and Firehose, notifying a KMS-encrypted SNS topic. */
export interface DataPathAlarmsArgs {
    readonly streamName: pulumi.Input<string>;
    /** Any ARN of the stream; the account id for the key policy is read from it. */
    readonly streamArn: pulumi.Input<string>;
    /** The stream's retention; the iterator-age threshold is a fraction of it. */
    readonly retentionHours: number;
    readonly deliveryStreamName: pulumi.Input<string>;
    /** The delivery stream's buffer interval; the freshness threshold sits above it. */
    readonly bufferingIntervalSeconds: number;
    /** Prefix of every runbook link, ending with a slash. */
    readonly runbookBaseUrl: string;
    /** Email addresses subscribed to the topic. @default [] */
    readonly emails?: readonly string[];
    /** Integration key of a PagerDuty "Amazon CloudWatch" integration; pages on every alarm. @default none */
    readonly pagerdutyCloudwatchKey?: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

export class DataPathAlarms extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: DataPathAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:monitoring:DataPathAlarms", name, {}, opts);
        // The pure builder validates the inputs; a bad one throws before any child exists.
        const specs = asResourceError(this, () => dataPathAlarms({ retentionHours: args.retentionHours, bufferingIntervalSeconds: args.bufferingIntervalSeconds }));
        const tags = args.tags;
        const child = { parent: this };

        // CloudWatch cannot publish to a topic under the AWS-managed SNS key: the key policy must
        // let the CloudWatch service principal use it, so the topic gets its own key.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-sns-encryption
        const account = pulumi.output(args.streamArn).apply(arnAccount);
        const key = new aws.kms.Key(`${name}-topic`, {
            description: `Data-path alarm notifications of ${name}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: account.apply((id) => JSON.stringify(topicKeyPolicy(id))),
            tags,
        }, child);
        new aws.kms.Alias(`${name}-topic`, { name: `alias/${name}`, targetKeyId: key.keyId }, child);

        const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.id, tags }, child);
        new aws.sns.TopicPolicy(`${name}-alarms`, {
            arn: topic.arn,
            policy: pulumi.all([topic.arn, account]).apply(([arn, id]) => JSON.stringify(topicPolicy(arn, id))),
        }, child);

        (args.emails ?? []).forEach((email, i) => {
            new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, child);
        });
        if (args.pagerdutyCloudwatchKey !== undefined) {
            new aws.sns.TopicSubscription(`${name}-pagerduty`, {
                topic: topic.arn,
                protocol: "https",
                // The key is the credential: anyone holding the URL can open incidents.
                endpoint: pulumi.secret(pulumi.interpolate`https://events.pagerduty.com/integration/${args.pagerdutyCloudwatchKey}/enqueue`),
                endpointAutoConfirms: true,
            }, child);
        }

        const watched = { stream: args.streamName, deliveryStream: args.deliveryStreamName };
        for (const spec of specs) {
            new aws.cloudwatch.MetricAlarm(`${name}-${spec.alertName}`, {
                name: `${name}-${spec.alertName}`,
                alarmDescription: `${spec.description} Runbook: ${runbookUrl(args.runbookBaseUrl, spec.alertName)}`,
                namespace: spec.namespace,
                metricName: spec.metricName,
                dimensions: { [ALARM_DIMENSIONS[spec.watches]]: watched[spec.watches] },
                statistic: spec.statistic,
                period: ALARM_PERIOD_SECONDS,
                comparisonOperator: spec.comparisonOperator,
                threshold: spec.threshold,
                evaluationPeriods: spec.evaluationPeriods,
                datapointsToAlarm: spec.datapointsToAlarm,
                treatMissingData: spec.treatMissingData,
                alarmActions: [topic.arn],
                okActions: [topic.arn],
                tags: { ...tags, "iot.platform/alert": spec.alertName },
            }, child);
        }

        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

export function topicKeyPolicy(accountId: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchPublishesEncrypted",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

export function topicPolicy(topicArn: string, accountId: string) {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        }],
    };
}
