import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { configIsSecret, ConfigError, loadPlatformConfig } from "../../stacks/config";
import { didYouMean } from "../../stacks/config/schema";
import { mockAvailabilityZones } from "../../tools/mockState";
import { parseConfig, problemsOf, PROJECT_DIR, stackConfig, withConfig } from "../util";

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
            const config = parseConfig(stackConfig("prod"));
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
            const config = parseConfig(stackConfig("staging"));
            assert.equal(config.environment, "staging");
            assert.equal(config.network.natGateways, "single");
            assert.equal(config.cluster.nodes.max, 3);
            assert.equal(config.data.stream.retentionHours, 48);
            assert.equal(config.data.lake.accessLogExpireAfterDays, 90);
        });

        it("fills defaults for optional keys left out", () => {
            const config = parseConfig(withConfig("prod", "data", (c) => {
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
            assertRejected(config, "iot-platform:clustr", /unknown key \(did you mean iot-platform:cluster\?\); allowed keys: environment, costCenter, network, cluster, data/);
        });

        it("a typo in a nested key", () => {
            assertRejected(withConfig("prod", "cluster", (c) => { c.value.nodes.maxx = 9; }), "iot-platform:cluster.nodes.maxx", /unknown key \(did you mean iot-platform:cluster\.nodes\.max\?\); allowed keys in iot-platform:cluster\.nodes: instanceType, min, desired, max, diskSizeGb$/);
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
            assertRejected(withConfig("prod", "network", (c) => { c.value.availabilityZones[2] = "eu-west-1c"; }), "iot-platform:network.availabilityZones.2", /"eu-west-1c" is a zone of eu-west-1, not of aws:region us-east-1; list zones such as us-east-1a; the account has us-east-1a \(use1-az1\), /);
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
            assertRejected(withConfig("prod", "data", (c) => { c.value.lake.accessLogsExpireAfterDays = 365; }), "iot-platform:data.lake.accessLogsExpireAfterDays", /unknown key \(did you mean iot-platform:data\.lake\.accessLogExpireAfterDays\?\); allowed keys in iot-platform:data\.lake: .*accessLogExpireAfterDays/);
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
        const config = parseConfig(withConfig("prod", "costCenter", (c) => { c.value = "4711"; }));
        assert.equal(config.tags.CostCenter, "4711");
    });

    describe("costBaseline", () => {
        it("ships the seed's fleet as prod's baseline, and none for staging", () => {
            assert.deepEqual(parseConfig(stackConfig("prod")).costBaseline?.instances, [{ instanceType: "t3.medium", count: 15 }]);
            assert.equal(parseConfig(stackConfig("staging")).costBaseline, undefined);
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
            assert.equal(parseConfig(config).region, "eu-west-1");
        });
    });

    describe("ingest batching (data.ingest.recordsPerKinesisRecord)", () => {
        it("defaults to 1, one device message per Kinesis record", () => {
            assert.equal(parseConfig(stackConfig("prod")).data.ingest.recordsPerKinesisRecord, 1);
        });

        it("refuses a batch over the 1,000 KiB Firehose record", () => {
            assertRejected(withConfig("prod", "data", (c) => { c.value.ingest.averageMessageBytes = 2048; c.value.ingest.recordsPerKinesisRecord = 600; }),
                "iot-platform:data.ingest.recordsPerKinesisRecord", /^[^:]+:[^:]+: with averageMessageBytes 2048 makes 1228800-byte records, over the 1024000 bytes \(1,000 KiB\) a Firehose record may have \(got 600\)$/);
        });
    });

    it("runs the checks across keys on the parts that parsed, alongside the schema's problems", () => {
        const config = withConfig("prod", "cluster", (c) => {
            c.value.nodes.maxx = 6;
            c.value.serviceCidr = "10.20.128.0/17";
        });
        const network = JSON.parse(config["iot-platform:network"]);
        network.natGateways = "perZone";
        network.availabilityZones[2] = "us-east-1g";
        config["iot-platform:network"] = JSON.stringify(network);
        assert.deepEqual(problemsOf(config).map((p) => p.slice(0, p.indexOf(": "))), [
            "iot-platform:network.natGateways",
            "iot-platform:cluster.nodes.maxx",
            "iot-platform:network.availabilityZones.2",
            "iot-platform:cluster.serviceCidr",
        ]);
    });

    describe("namespaces", () => {
        it("accepts the project's, the AWS provider's and Pulumi's own", () => {
            assert.equal(parseConfig({ ...stackConfig("prod"), "aws:profile": "platform", "pulumi:disable-default-providers": "[]" }).environment, "prod");
        });

        it("rejects a misspelt namespace with a suggestion, instead of ignoring the key", () => {
            const config = withConfig("prod", "monitoring", (c) => { c.value = undefined; });
            config["iot-platfrom:monitoring"] = stackConfig("prod")["iot-platform:monitoring"];
            assertRejected(config, "iot-platfrom:monitoring", /^iot-platfrom:monitoring: unknown namespace "iot-platfrom" \(did you mean iot-platform:monitoring\?\); keys must be under iot-platform, aws, pulumi$/);
        });

        it("rejects an unrelated namespace without a suggestion", () => {
            assertRejected({ ...stackConfig("prod"), "gcp:project": "x" }, "gcp:project", /^gcp:project: unknown namespace "gcp"; keys must be under iot-platform, aws, pulumi$/);
        });
    });

    describe("availability zones", () => {
        it("accepts zone IDs and resolves them to the account's zone names", () => {
            const config = parseConfig(withConfig("staging", "network", (c) => { c.value.availabilityZones = ["use2-az1", "us-east-2b", "use2-az3"]; }));
            assert.deepEqual(config.network.availabilityZones, ["us-east-2a", "us-east-2b", "us-east-2c"]);
        });

        it("names aws:region when it holds a zone, and not the zones", () => {
            assert.deepEqual(problemsOf(withConfig("prod", "aws:region", (c) => { c.value = "us-east-1a"; })), [
                'aws:region: "us-east-1a" is an availability zone, not a region; set aws:region to us-east-1 and list zones in iot-platform:network.availabilityZones',
            ]);
        });

        it("points at a misspelt aws:region key", () => {
            const config = withConfig("prod", "aws:region", (c) => { c.value = undefined; });
            config["aws:regoin"] = "us-east-1";
            assert.deepEqual(problemsOf(config), ["aws:region: required; set it with `pulumi config set aws:region us-east-1` (the stack sets aws:regoin: a misspelling?)"]);
        });

        it("fails, naming aws:region, when the zones cannot be listed", async () => {
            await assert.rejects(
                loadPlatformConfig(stackConfig("prod"), () => false, () => Promise.reject(new Error("UnauthorizedOperation"))),
                (err: unknown) => err instanceof ConfigError && err.problems.length === 1 &&
                    err.problems[0] === "aws:region: cannot list the availability zones of us-east-1 to check iot-platform:network.availabilityZones (UnauthorizedOperation); check the AWS credentials and that the region is enabled for the account",
            );
        });

        it("lists the zones of aws:region through the program's loader", async () => {
            const asked: string[] = [];
            const config = await loadPlatformConfig(stackConfig("staging"), () => false, (region) => { asked.push(region); return Promise.resolve(mockAvailabilityZones(region)); });
            assert.deepEqual(asked, ["us-east-2"]);
            assert.deepEqual(config.network.availabilityZones, ["us-east-2a", "us-east-2b", "us-east-2c"]);
        });
    });

    describe("secret keys, as the CLI marks them", () => {
        it("reads the secret keys the SDK was given (PULUMI_CONFIG_SECRET_KEYS)", () => {
            pulumi.runtime.setAllConfig({ "iot-platform:slackWebhookUrl": "x", "iot-platform:environment": "prod" }, ["iot-platform:slackWebhookUrl"]);
            assert.equal(configIsSecret("iot-platform:slackWebhookUrl"), true);
            assert.equal(configIsSecret("iot-platform:environment"), false);
        });
    });

    describe("did you mean", () => {
        it("suggests the closest candidate within a third of the word, or nothing", () => {
            assert.equal(didYouMean("maxx", ["min", "max", "desired"]), "max");
            assert.equal(didYouMean("mxa", ["min", "max"]), "max");
            assert.equal(didYouMean("iot-platfom", ["iot-platform", "aws", "pulumi"]), "iot-platform");
            assert.equal(didYouMean("kubernetes", ["iot-platform", "aws", "pulumi"]), undefined);
        });
    });

    it("prints exactly the example of the configuration reference", () => {
        // given: the six mistakes of the documented example
        const config = withConfig("prod", "cluster", (c) => { c.value.nodes.max = 20; c.value.nodes.maxx = 9; });
        const network = JSON.parse(config["iot-platform:network"]);
        network.availabilityZones[2] = "us-east-1g";
        config["iot-platform:network"] = JSON.stringify(network);
        config["iot-platfom:monitoring"] = "{}";
        config["iot-platform:slackWebhookUrl"] = "https://hooks.slack.com/services/T000/B000/XXXX";
        const apps = JSON.parse(config["iot-platform:apps"]);
        apps[3].replicas.min = 1;
        config["iot-platform:apps"] = JSON.stringify(apps);
        // when
        const printed = `Invalid stack configuration:\n${problemsOf(config).map((p) => `  - ${p}`).join("\n")}`;
        // then: the reference (README.md, or wherever under docs/ it moves) shows that text
        const docs = [path.join(PROJECT_DIR, "README.md"), ...fs.readdirSync(path.join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => path.join(PROJECT_DIR, "docs", f))];
        const examples = docs.flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/```\n(Invalid stack configuration:\n[\s\S]*?)\n```/g)].map((m) => m[1]));
        assert.ok(examples.some((e) => e.includes("iot-platfom:monitoring")), "the configuration reference lost its example");
        assert.ok(examples.includes(printed), `the documented example differs from what the program prints:\n${printed}`);
    });
});
