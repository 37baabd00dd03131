import { strict as assert } from "assert";
import { parsePlatformConfig } from "../../stacks/config";
import { problemsOf, stackConfig, withConfig } from "../util";

/** Exactly one problem, on `key`, matching `pattern`. */
function assertRejected(config: Record<string, string>, key: string, pattern: RegExp): void {
    const problems = problemsOf(config);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.ok(problems[0].startsWith(`${key}: `), `expected the problem to name ${key}: ${problems[0]}`);
    assert.match(problems[0], pattern);
}

describe("stack configuration", () => {
    describe("the shipped stacks", () => {
        it("prod parses into typed settings with defaults applied", () => {
            const config = parsePlatformConfig(stackConfig("prod"));
            assert.equal(config.environment, "prod");
            assert.equal(config.region, "us-east-1");
            assert.deepEqual(config.cluster.nodes, { instanceType: "m6a.large", min: 3, desired: 3, max: 6, diskSizeGb: 50 });
            assert.equal(config.cluster.serviceCidr, "172.20.0.0/16");
            assert.equal(config.network.natGateways, "perAz");
            assert.equal(config.data.stream.retentionHours, 168);
            assert.equal(config.data.lake.accessLogExpireAfterDays, 365);
            assert.deepEqual(config.tags, { Environment: "prod", Project: "iot-platform", CostCenter: "iot-platform", ManagedBy: "pulumi" });
        });

        it("staging parses with its own values", () => {
            const config = parsePlatformConfig(stackConfig("staging"));
            assert.equal(config.environment, "staging");
            assert.equal(config.network.natGateways, "single");
            assert.equal(config.cluster.nodes.max, 3);
            assert.equal(config.data.stream.retentionHours, 48);
            assert.equal(config.data.lake.accessLogExpireAfterDays, 90);
        });

        it("fills defaults for optional keys left out", () => {
            const config = parsePlatformConfig(withConfig("prod", "data", (c) => {
                delete c.value.stream;
                delete c.value.delivery;
            }));
            assert.deepEqual(config.data.stream, { mode: "provisioned", headroomFactor: 2, retentionHours: 168 });
            assert.equal(config.data.delivery.bufferingIntervalSeconds, 300);
        });
    });

    describe("rejects, naming the key", () => {
        it("an unknown top-level key", () => {
            const config = { ...stackConfig("prod"), "iot-platform:clustr": "{}" };
            assertRejected(config, "iot-platform", /unknown key "clustr"; allowed keys: environment, costCenter, network, cluster, data/);
        });

        it("a typo in a nested key", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.maxx = 9; }), "iot-platform:cluster.nodes", /unknown key "maxx"; allowed keys: instanceType, min, desired, max, diskSizeGb/);
        });

        it("a missing required key", () => {
            assertRejected(withConfig("prod", "environment", (c) => { c.value = undefined; }), "iot-platform:environment", /required but missing/);
        });

        it("a wrong type", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.max = "six"; }), "iot-platform:cluster.nodes.max", /whole number from 1 to 10 \(got "six"\)/);
        });

        it("min above desired", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.min = 4; }), "iot-platform:cluster.nodes.min", /must not exceed desired \(3\) \(got 4\)/);
        });

        it("desired above max", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.desired = 7; }), "iot-platform:cluster.nodes.desired", /must not exceed max \(6\) \(got 7\)/);
        });

        it("max above the hard ceiling", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.max = 20; }), "iot-platform:cluster.nodes.max", /must be from 1 to 10 \(got 20\)/);
        });

        it("a fractional node count", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.desired = 3.5; c.value.nodes.max = 6; }), "iot-platform:cluster.nodes.desired", /whole number/);
        });

        it("an invalid VPC CIDR", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.cidr = "10.20.0.1/16"; }), "iot-platform:network.cidr", /IPv4 CIDR.*no host bits set \(got "10.20.0.1\/16"\)/);
        });

        it("a VPC range too small for pods", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.cidr = "10.20.0.0/24"; }), "iot-platform:network.cidr", /a \/16 to \/20 range/);
        });

        it("a service range overlapping the VPC", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.serviceCidr = "10.20.128.0/17"; }), "iot-platform:cluster.serviceCidr", /overlaps the VPC range 10.20.0.0\/16/);
        });

        it("fewer than 2 availability zones", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.availabilityZones = ["us-east-1a"]; }), "iot-platform:network.availabilityZones", /2 to 4 availability zones/);
        });

        it("a repeated availability zone", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.availabilityZones = ["us-east-1a", "us-east-1a"]; }), "iot-platform:network.availabilityZones", /must not repeat/);
        });

        it("a zone outside the region", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.availabilityZones[2] = "eu-west-1c"; }), "iot-platform:network.availabilityZones.2", /not a zone of aws:region us-east-1/);
        });

        it("an unknown NAT mode", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.natGateways = "perSubnet"; }), "iot-platform:network.natGateways", /must be one of perAz, single \(got "perSubnet"\)/);
        });

        it("an instance type that is not an EC2 type string", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.instanceType = "large"; }), "iot-platform:cluster.nodes.instanceType", /EC2 instance type like m6i.large .*\(got "large"\)/);
        });

        it("a Kubernetes version outside the supported list", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.kubernetesVersion = "1.27"; }), "iot-platform:cluster.kubernetesVersion", /must be one of 1.33, 1.34, 1.35 \(got "1.27"\)/);
        });

        it("a public endpoint open to the internet", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.publicAccessCidrs = ["0.0.0.0/0"]; }), "iot-platform:cluster.publicAccessCidrs.0", /must not be 0.0.0.0\/0/);
        });

        it("an admin role that is not an IAM role ARN", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.adminRoleArns = ["arn:aws:iam::123456789012:user/alice"]; }), "iot-platform:cluster.adminRoleArns.0", /IAM role ARN/);
        });

        it("stream retention below 48 hours", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.stream.retentionHours = 24; }), "iot-platform:data.stream.retentionHours", /from 48 to 8760 \(got 24\)/);
        });

        it("stream retention above 8760 hours", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.stream.retentionHours = 9000; }), "iot-platform:data.stream.retentionHours", /from 48 to 8760 \(got 9000\)/);
        });

        it("a zero ingest rate", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.ingest.messagesPerDevicePerMinute = 0; }), "iot-platform:data.ingest.messagesPerDevicePerMinute", /greater than 0 .* \(got 0\)/);
        });

        it("a negative device count", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.ingest.devices = -5; }), "iot-platform:data.ingest.devices", /greater than 0/);
        });

        it("a peak factor below 1", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.ingest.peakFactor = 0.5; }), "iot-platform:data.ingest.peakFactor", /at least 1/);
        });

        it("a headroom factor below 2", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.stream.headroomFactor = 1; }), "iot-platform:data.stream.headroomFactor", /at least 2/);
        });

        it("an unknown stream mode", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.stream.mode = "serverless"; }), "iot-platform:data.stream.mode", /provisioned, onDemand/);
        });

        it("a Glacier transition too soon after Standard-IA", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.lake.glacierAfterDays = 45; }), "iot-platform:data.lake.glacierAfterDays", /30 days after infrequentAccessAfterDays \(30\)/);
        });

        it("expiry before the Glacier transition", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.lake.expireAfterDays = 80; }), "iot-platform:data.lake.expireAfterDays", /later than glacierAfterDays \(90\)/);
        });

        it("an access-log expiry that is not a whole number of days from 1 to 3650", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.lake.accessLogExpireAfterDays = 0; }), "iot-platform:data.lake.accessLogExpireAfterDays", /from 1 to 3650 \(got 0\)/);
            assertRejected(withConfig("prod", "data", (c) => { c.value.lake.accessLogExpireAfterDays = 30.5; }), "iot-platform:data.lake.accessLogExpireAfterDays", /whole number from 1 to 3650/);
        });

        it("a typo in the access-log expiry key, listing the lake's keys", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.lake.accessLogsExpireAfterDays = 365; }), "iot-platform:data.lake", /unknown key "accessLogsExpireAfterDays"; allowed keys: .*accessLogExpireAfterDays/);
        });

        it("a retention period CloudWatch does not offer", () => {
            assertRejected(withConfig("prod", "network", (c) => { c.value.flowLogRetentionDays = 45; }), "iot-platform:network.flowLogRetentionDays", /CloudWatch Logs retention period/);
        });

        it("a missing region", () => {
            assertRejected(withConfig("prod", "aws:region", (c) => { c.value = undefined; }), "aws:region", /required/);
        });

        it("an environment name that cannot be a tag and a name prefix", () => {
            assertRejected(withConfig("prod", "environment", (c) => { c.value = "Prod Env"; }), "iot-platform:environment", /lowercase/);
        });
    });

    it("reports every problem at once, not just the first", () => {
        const problems = problemsOf(withConfig("prod", "cluster", (c) => {
            c.value.nodes.max = 20;
            c.value.kubernetesVersion = "1.20";
        }));
        assert.equal(problems.length, 2, problems.join("\n"));
    });

    it("keeps a numeric-looking top-level string as a string", () => {
        const config = parsePlatformConfig(withConfig("prod", "costCenter", (c) => { c.value = "4711"; }));
        assert.equal(config.tags.CostCenter, "4711");
    });

    describe("costBaseline", () => {
        it("ships the seed's fleet as prod's baseline, and none for staging", () => {
            assert.deepEqual(parsePlatformConfig(stackConfig("prod")).costBaseline?.instances, [{ instanceType: "t3.medium", count: 15 }]);
            assert.equal(parsePlatformConfig(stackConfig("staging")).costBaseline, undefined);
        });

        it("refuses an instance type the catalogue cannot price, naming the key", () => {
            assertRejected(withConfig("prod", "costBaseline", (c) => { c.value.instances[0].instanceType = "m4.large"; }),
                "iot-platform:costBaseline.instances.0.instanceType", /must be a type of the instance catalogue .*\(got "m4.large"\)/);
        });

        it("refuses a baseline in a region the price table does not cover", () => {
            // given prod moved to eu-west-1, whose EC2 prices the catalogue has but whose other prices the table lacks
            const config = Object.fromEntries(Object.entries(stackConfig("prod")).map(([k, v]) => [k, v.replace(/us-east-1/g, "eu-west-1")]));
            assertRejected(config, "iot-platform:costBaseline", /cannot be priced in aws:region eu-west-1: price table .* has us-east-1, us-east-2, us-west-2/);
            // and without the baseline the stack is accepted there
            delete config["iot-platform:costBaseline"];
            assert.equal(parsePlatformConfig(config).region, "eu-west-1");
        });
    });

    describe("ingest batching (data.ingest.recordsPerKinesisRecord)", () => {
        it("defaults to 1, one device message per Kinesis record", () => {
            assert.equal(parsePlatformConfig(stackConfig("prod")).data.ingest.recordsPerKinesisRecord, 1);
        });

        it("refuses a batch over the 1,000 KiB Firehose record", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.ingest.averageMessageBytes = 2048; c.value.ingest.recordsPerKinesisRecord = 600; }),
                "iot-platform:data.ingest.recordsPerKinesisRecord", /^[^:]+:[^:]+: with averageMessageBytes 2048 makes 1228800-byte records, over the 1024000 bytes \(1,000 KiB\) a Firehose record may have \(got 600\)$/);
        });
    });
});
