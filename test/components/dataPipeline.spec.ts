import { strict as assert } from "assert";
import { DataPipeline } from "../../components/data/DataPipeline";
import { RecordedResource, recordProgram, runPlatformProgram } from "../../tools/mockProgram";
import { ofType, one, runStack, withConfig } from "../util";

describe("DataPipeline", () => {
    let prod: RecordedResource[];
    let staging: RecordedResource[];
    before(async () => {
        prod = (await runStack("prod")).resources;
        staging = (await runStack("staging")).resources;
    });

    describe("Kinesis stream", () => {
        it("sizes prod from its ingest profile: 2000 rec/s at peak x2 headroom = 4 shards", () => {
            const stream = one(prod, "aws:kinesis/stream:Stream");
            assert.equal(stream.inputs.shardCount, 4);
            assert.deepEqual(stream.inputs.streamModeDetails, { streamMode: "PROVISIONED" });
        });

        it("sizes staging to one shard", () => {
            assert.equal(one(staging, "aws:kinesis/stream:Stream").inputs.shardCount, 1);
        });

        it("follows the profile: four times the devices, four times the shards", async () => {
            const run = await runPlatformProgram(withConfig("prod", "data", (c) => { c.value.ingest.devices = 40000; }));
            assert.equal(one(run.resources, "aws:kinesis/stream:Stream").inputs.shardCount, 16);
        });

        it("drops the shard count in on-demand mode", async () => {
            const run = await runPlatformProgram(withConfig("prod", "data", (c) => { c.value.stream.mode = "onDemand"; }));
            const stream = one(run.resources, "aws:kinesis/stream:Stream");
            assert.equal(stream.inputs.shardCount, undefined);
            assert.deepEqual(stream.inputs.streamModeDetails, { streamMode: "ON_DEMAND" });
            assert.equal(run.outputs.shardCount, "on-demand");
        });

        it("encrypts with the data key and keeps records for the configured retention", () => {
            const stream = one(prod, "aws:kinesis/stream:Stream");
            assert.equal(stream.inputs.encryptionType, "KMS");
            assert.match(stream.inputs.kmsKeyId, /^arn:aws:kms:us-east-1:\d{12}:key\//);
            assert.equal(stream.inputs.retentionPeriod, 168);
            assert.equal(one(staging, "aws:kinesis/stream:Stream").inputs.retentionPeriod, 48);
        });

        it("carries the ingest profile as tags for cost tooling", () => {
            const tags = one(prod, "aws:kinesis/stream:Stream").inputs.tags;
            assert.equal(tags["iot:ingest:devices"], "10000");
            assert.equal(tags["iot:ingest:peakFactor"], "2");
        });
    });

    describe("Firehose", () => {
        let firehose: RecordedResource;
        before(() => { firehose = one(prod, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"); });

        it("reads from the stream and writes GZIP objects to the lake with KMS", () => {
            const stream = one(prod, "aws:kinesis/stream:Stream");
            assert.equal(firehose.inputs.destination, "extended_s3");
            assert.match(firehose.inputs.kinesisSourceConfiguration.kinesisStreamArn, new RegExp(`stream/${stream.name}`));
            const s3 = firehose.inputs.extendedS3Configuration;
            assert.equal(s3.compressionFormat, "GZIP");
            assert.match(s3.kmsKeyArn, /:key\//);
            assert.match(s3.bucketArn, /^arn:aws:s3:::iot-platform-prod-data-lake-/);
        });

        it("partitions by date and separates errors", () => {
            const s3 = firehose.inputs.extendedS3Configuration;
            assert.match(s3.prefix, /year=!\{timestamp:yyyy\}\/month=!\{timestamp:MM\}\/day=!\{timestamp:dd\}/);
            assert.match(s3.errorOutputPrefix, /^errors\/!\{firehose:error-output-type\}\//);
        });

        it("logs delivery errors to CloudWatch", () => {
            assert.equal(firehose.inputs.extendedS3Configuration.cloudwatchLoggingOptions.enabled, true);
        });

        it("has a role that reads only this stream and writes only this bucket", () => {
            const policy = JSON.parse(one(prod, "aws:iam/rolePolicy:RolePolicy", "data-delivery").inputs.policy);
            const resources = policy.Statement.flatMap((s: any) => s.Resource);
            assert.ok(resources.every((r: string) => r !== "*" && r.startsWith("arn:aws:")), resources.join());
            const read = policy.Statement.find((s: any) => s.Sid === "ReadStream");
            assert.deepEqual(read.Resource, [firehose.inputs.kinesisSourceConfiguration.kinesisStreamArn]);
        });
    });

    describe("data lake bucket", () => {
        it("versions objects", () => {
            assert.deepEqual(one(prod, "aws:s3/bucketVersioning:BucketVersioning", "-lake").inputs.versioningConfiguration, { status: "Enabled" });
        });

        it("encrypts with SSE-KMS and a bucket key", () => {
            const [rule] = one(prod, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "-lake").inputs.rules;
            assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
            assert.match(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, /:key\//);
            assert.equal(rule.bucketKeyEnabled, true);
        });

        it("blocks all four kinds of public access", () => {
            const block = one(prod, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "-lake").inputs;
            assert.deepEqual(
                [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                [true, true, true, true],
            );
        });

        it("denies requests without TLS", () => {
            const policy = JSON.parse(one(prod, "aws:s3/bucketPolicy:BucketPolicy", "-lake").inputs.policy);
            assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.equal(policy.Statement[0].Effect, "Deny");
        });

        it("moves objects to cheaper classes, expires them per environment and aborts stale uploads", () => {
            const rules = one(prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-lake").inputs.rules;
            const tiering = rules.find((r: any) => r.id === "tier-and-expire");
            assert.deepEqual(tiering.transitions, [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER_IR" }]);
            assert.deepEqual(tiering.expiration, { days: 1095 });
            assert.ok(rules.some((r: any) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 7));
            const stagingRules = one(staging, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "-lake").inputs.rules;
            assert.deepEqual(stagingRules.find((r: any) => r.id === "tier-and-expire").expiration, { days: 150 });
        });

        it("applies every lifecycle rule to the whole bucket through an explicit empty prefix, never an empty filter", () => {
            const configurations = ofType([...prod, ...staging], "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            assert.equal(configurations.length, 4);
            for (const rule of configurations.flatMap((c) => c.inputs.rules)) {
                assert.deepEqual(rule.filter, { prefix: "" }, rule.id);
            }
        });

        it("refuses a lifecycle that leaves Glacier Instant Retrieval before its 90-day minimum", async () => {
            const ingest = { devices: 10, messagesPerDevicePerMinute: 1, averageMessageBytes: 100, peakFactor: 1 };
            await assert.rejects(
                recordProgram(() => new DataPipeline("t", { ingest, lifecycle: { glacierAfterDays: 60, expireAfterDays: 120 }, tags: {} })),
                /lifecycle: objects would spend 60 days in GLACIER_IR \(glacierAfterDays 60 to expireAfterDays 120\)/,
            );
        });
    });

    describe("access-log bucket", () => {
        const LOGS = "-access-logs";
        let lake: RecordedResource;
        let logs: RecordedResource;
        before(() => {
            lake = one(prod, "aws:s3/bucket:Bucket", "-lake");
            logs = one(prod, "aws:s3/bucket:Bucket", LOGS);
        });

        it("is a child of the pipeline named after it, tagged like the lake", () => {
            assert.equal(logs.name, "iot-platform-prod-data-access-logs");
            assert.equal(logs.parent, lake.parent);
            assert.deepEqual(logs.inputs.tags, lake.inputs.tags);
        });

        it("receives the lake's server access logs, date-partitioned under lake/", () => {
            const logging = one(prod, "aws:s3/bucketLogging:BucketLogging");
            assert.equal(logging.name, "iot-platform-prod-data-lake");
            assert.equal(logging.inputs.bucket, lake.outputs.id);
            assert.equal(logging.inputs.targetBucket, logs.outputs.id);
            assert.equal(logging.inputs.targetPrefix, "lake/");
            assert.deepEqual(logging.inputs.targetObjectKeyFormat, { partitionedPrefix: { partitionDateSource: "EventTime" } });
            assert.equal(logging.inputs.targetGrants, undefined, "ACLs are disabled on the target; grants would be rejected");
        });

        it("does not log to itself or anywhere else", () => {
            assert.equal(ofType(prod, "aws:s3/bucketLogging:BucketLogging").filter((l) => l.inputs.bucket === logs.outputs.id).length, 0);
        });

        it("encrypts with SSE-S3, the only default encryption S3 supports on a log target", () => {
            const [rule] = one(prod, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", LOGS).inputs.rules;
            assert.deepEqual(rule.applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" });
        });

        it("blocks all four kinds of public access, versions objects and disables ACLs", () => {
            const block = one(prod, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", LOGS).inputs;
            assert.deepEqual(
                [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                [true, true, true, true],
            );
            assert.deepEqual(one(prod, "aws:s3/bucketVersioning:BucketVersioning", LOGS).inputs.versioningConfiguration, { status: "Enabled" });
            assert.deepEqual(one(prod, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", LOGS).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        });

        it("has one policy: the logging service writes lake/ for the lake of this account only, and TLS is required", () => {
            const policy = JSON.parse(one(prod, "aws:s3/bucketPolicy:BucketPolicy", LOGS).inputs.policy);
            const [grant, tls] = policy.Statement;
            assert.equal(policy.Statement.length, 2);
            assert.deepEqual(grant.Principal, { Service: "logging.s3.amazonaws.com" });
            assert.equal(grant.Effect, "Allow");
            assert.deepEqual(grant.Action, ["s3:PutObject"]);
            assert.deepEqual(grant.Resource, [`${logs.outputs.arn}/lake/*`]);
            assert.deepEqual(grant.Condition, {
                ArnLike: { "aws:SourceArn": lake.outputs.arn },
                StringEquals: { "aws:SourceAccount": "123456789012" },
            });
            assert.equal(tls.Effect, "Deny");
            assert.deepEqual(tls.Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.deepEqual(tls.Resource, [logs.outputs.arn, `${logs.outputs.arn}/*`]);
        });

        it("expires logs per environment, with their old versions, and aborts stale uploads", () => {
            const rules = one(prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", LOGS).inputs.rules;
            const expire = rules.find((r: any) => r.id === "expire-access-logs");
            assert.deepEqual(expire.expiration, { days: 365 });
            assert.deepEqual(expire.noncurrentVersionExpiration, { noncurrentDays: 30 });
            assert.ok(rules.some((r: any) => r.abortIncompleteMultipartUpload?.daysAfterInitiation === 7));
            const stagingRules = one(staging, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", LOGS).inputs.rules;
            assert.deepEqual(stagingRules.find((r: any) => r.id === "expire-access-logs").expiration, { days: 90 });
        });

        it("refuses an expiry under one day, naming the field", async () => {
            const ingest = { devices: 10, messagesPerDevicePerMinute: 1, averageMessageBytes: 100, peakFactor: 1 };
            await assert.rejects(
                recordProgram(() => new DataPipeline("t", { ingest, lifecycle: { expireAfterDays: 365, accessLogExpireAfterDays: 0 }, tags: {} })),
                /lifecycle\.accessLogExpireAfterDays must be a whole number of days, at least 1, got 0/,
            );
        });

        it("keeps logs 365 days when the stack does not say", async () => {
            const run = await runPlatformProgram(withConfig("prod", "data", (c) => { delete c.value.lake.accessLogExpireAfterDays; }));
            const rules = one(run.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", LOGS).inputs.rules;
            assert.deepEqual(rules.find((r: any) => r.id === "expire-access-logs").expiration, { days: 365 });
        });
    });

    it("rotates the data key", () => {
        assert.equal(one(prod, "aws:kms/key:Key", "data-key").inputs.enableKeyRotation, true);
    });

    it("exports producer, stream-reader and lake-reader documents on the real ARNs", async () => {
        const run = await runStack("prod");
        const value = (o: any) => new Promise<string>((resolve) => o.apply(resolve));
        const producer = JSON.parse(await value(run.platform.data.producerPolicyJson));
        const lake = JSON.parse(await value(run.platform.data.lakeReaderPolicyJson));
        assert.match(producer.Statement[0].Resource[0], /^arn:aws:kinesis:us-east-1:123456789012:stream\/iot-platform-prod-data-telemetry-/);
        assert.match(lake.Statement[1].Resource[0], /^arn:aws:s3:::iot-platform-prod-data-lake-[0-9a-f]+\/\*$/);
    });
});
