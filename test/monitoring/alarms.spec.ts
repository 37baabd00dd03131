import { strict as assert } from "assert";
import { dataFreshnessThresholdSeconds, dataPathAlarms, iteratorAgeThresholdMs } from "../../components/monitoring/alarms";
import { RecordedResource, runPlatformProgram } from "../../tools/mockProgram";
import { childrenOf, ofType, one, runStack, withConfig } from "../util";
import { secret } from "./secrets";

const HOUR_MS = 3_600_000;

describe("data-path alarm thresholds", () => {
    it("derives the iterator-age threshold from the stream's retention: a tenth of it", () => {
        assert.equal(iteratorAgeThresholdMs(168), 16.8 * HOUR_MS);
        assert.equal(iteratorAgeThresholdMs(48), 4.8 * HOUR_MS);
        assert.throws(() => iteratorAgeThresholdMs(0), /retentionHours must be a positive number, got 0/);
    });

    it("puts the freshness threshold above the buffer interval", () => {
        assert.equal(dataFreshnessThresholdSeconds(300), 1200);
        assert.ok(dataFreshnessThresholdSeconds(900) > 900);
        assert.throws(() => dataFreshnessThresholdSeconds(-1), /bufferingIntervalSeconds must be a whole number/);
    });

    it("watches the five data-path metrics", () => {
        const specs = dataPathAlarms({ retentionHours: 168, bufferingIntervalSeconds: 300 });
        assert.deepEqual(specs.map((s) => `${s.namespace} ${s.metricName}`), [
            "AWS/Kinesis GetRecords.IteratorAgeMilliseconds",
            "AWS/Kinesis WriteProvisionedThroughputExceeded",
            "AWS/Kinesis PutRecords.FailedRecords",
            "AWS/Firehose DeliveryToS3.DataFreshness",
            "AWS/Firehose DeliveryToS3.Success",
        ]);
    });
});

describe("DataPathAlarms on the shipped stacks", () => {
    let prod: RecordedResource[];
    let staging: RecordedResource[];
    before(async () => {
        prod = (await runStack("prod")).resources;
        staging = (await runStack("staging")).resources;
    });
    const alarm = (resources: RecordedResource[], name: string) => one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", `-${name}`).inputs;

    it("sets the iterator-age threshold from each stack's retention (prod 168 h, staging 48 h)", () => {
        assert.equal(alarm(prod, "KinesisIteratorAgeHigh").threshold, 16.8 * HOUR_MS);
        assert.equal(alarm(staging, "KinesisIteratorAgeHigh").threshold, 4.8 * HOUR_MS);
    });

    it("follows a retention change", async () => {
        const run = await runPlatformProgram(withConfig("staging", "data", (c) => { c.value.stream.retentionHours = 96; }));
        assert.equal(alarm(run.resources, "KinesisIteratorAgeHigh").threshold, 9.6 * HOUR_MS);
    });

    it("points the alarms at the stream and the delivery stream by name", () => {
        const stream = one(prod, "aws:kinesis/stream:Stream").inputs.name ?? "";
        assert.deepEqual(Object.keys(alarm(prod, "KinesisWriteThrottled").dimensions), ["StreamName"]);
        assert.deepEqual(Object.keys(alarm(prod, "FirehoseDeliveryFailing").dimensions), ["DeliveryStreamName"]);
        assert.equal(typeof stream, "string");
        assert.equal(alarm(prod, "FirehoseDeliveryStale").threshold, 1200);
    });

    it("notifies a KMS-encrypted topic, under a rotated key, on alarm and on recovery", () => {
        const topic = one(prod, "aws:sns/topic:Topic");
        const key = ofType(childrenOf(prod, one(prod, "iot:monitoring:DataPathAlarms")), "aws:kms/key:Key");
        assert.equal(key.length, 1);
        assert.equal(key[0].inputs.enableKeyRotation, true);
        assert.ok(topic.inputs.kmsMasterKeyId);
        const policy = JSON.parse(key[0].inputs.policy);
        assert.ok(policy.Statement.some((s: { Principal: { Service?: string } }) => s.Principal.Service === "cloudwatch.amazonaws.com"));
        for (const a of ofType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
            assert.equal(a.inputs.alarmActions.length, 1);
            assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions);
            assert.match(a.inputs.alarmDescription, /Runbook: https:\/\/.*\/docs\/runbooks\/\w+\.md$/);
        }
    });

    it("tags every taggable resource with the platform tags", () => {
        const taggable = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic"];
        const component = one(prod, "iot:monitoring:DataPathAlarms");
        for (const r of childrenOf(prod, component).filter((c) => taggable.includes(c.type) || c.type === "aws:kms/key:Key")) {
            for (const tag of ["Environment", "Project", "CostCenter", "ManagedBy"]) {
                assert.ok(r.inputs.tags?.[tag], `${r.name} lacks tag ${tag}`);
            }
        }
    });

    it("subscribes no one by default, and the configured emails and PagerDuty key when set", async () => {
        assert.equal(ofType(prod, "aws:sns/topicSubscription:TopicSubscription").length, 0);
        const config = withConfig("prod", "monitoring", (c) => { c.value.alarms.emails = ["oncall@example.com"]; });
        config["iot-platform:pagerdutyCloudwatchKey"] = "0123456789abcdef0123456789abcdef";
        const subs = ofType((await runPlatformProgram(config, "prod", ["iot-platform:pagerdutyCloudwatchKey"])).resources, "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(subs.map((s) => s.inputs.protocol).sort(), ["email", "https"]);
        // The endpoint embeds the integration key, so it reaches the engine as a secret.
        assert.deepEqual(subs.find((s) => s.inputs.protocol === "https")!.inputs.endpoint,
            secret("https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"));
    });
});
