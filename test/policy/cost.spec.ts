import * as assert from "assert";
import { MONTHLY_USAGE_ANNOTATION as CANARY_USAGE_ANNOTATION } from "../../components/canary/manifests";
import { estimateMonthlyCost, monthlyBudgetPolicy, monthlyUsage, MONTHLY_USAGE_ANNOTATION, readIngestProfile } from "../../policy/cost";
import { formatUsd } from "../../policy/lib/money";
import { UNKNOWN as UNKNOWN_VALUE } from "../../policy/lib/values";
import { PRICE_TABLE } from "../../policy/pricing";
import {
    messages, patched, platformStack, policyConfig, PRICING_DAY, PROD_SHAPE, res, runStackPolicy, STAGING_SHAPE, UNKNOWN,
} from "./util";

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 0.005, `${actual} != ${expected}`);
const lineTotal = (lines: { name: string; item: string; monthlyUsd: number }[], pattern: RegExp) =>
    lines.filter(l => pattern.test(l.item)).reduce((s, l) => s + l.monthlyUsd, 0);

describe("cost model", () => {
    it("prices 3 x m6i.large for 730 hours at desired size and 6 at max", () => {
        const ng = res("aws:eks/nodeGroup:NodeGroup", "ng", {
            instanceTypes: ["m6i.large"], diskSize: 20, scalingConfig: { desiredSize: 3, minSize: 3, maxSize: 6 },
        });
        const e = estimateMonthlyCost([ng], PRICE_TABLE, "us-east-1", PRICING_DAY);
        near(lineTotal(e.expected.lines, /m6i\.large/), 3 * 0.096 * 730);
        near(lineTotal(e.worstCase.lines, /m6i\.large/), 6 * 0.096 * 730);
        near(lineTotal(e.expected.lines, /EBS gp2 20 GB/), 3 * 20 * 0.10);
        assert.deepStrictEqual(e.unpriced, []);
    });

    it("prices a 4-shard provisioned stream and its PUT payload units from the ingest profile", () => {
        const stream = res("aws:kinesis/stream:Stream", "s", {
            shardCount: 4,
            tags: { "iot:ingest:devices": "10000", "iot:ingest:messagesPerDevicePerMinute": "6", "iot:ingest:averageMessageBytes": "1024", "iot:ingest:peakFactor": "2" },
        });
        const e = estimateMonthlyCost([stream], PRICE_TABLE, "us-east-1", PRICING_DAY);
        near(lineTotal(e.expected.lines, /shard/), 4 * 0.015 * 730);
        // 10,000 devices x 6/min x 43,800 min = 2.628e9 records, 1 PUT unit each.
        near(lineTotal(e.expected.lines, /PUT payload/), 2628 * 0.014);
        near(lineTotal(e.worstCase.lines, /PUT payload/), 2 * 2628 * 0.014);
    });

    it("rounds Firehose records up to 5 KB and counts raw bytes for S3", () => {
        const u = monthlyUsage({ devices: 1, messagesPerDevicePerMinute: 1, averageMessageBytes: 1024, peakFactor: 1, recordsPerKinesisRecord: 1 }, 730);
        assert.strictEqual(u.records, 43800);
        near(u.firehoseIngestGb, (43800 * 5120) / 2 ** 30);
        near(u.rawGb, (43800 * 1024) / 2 ** 30);
        assert.strictEqual(u.putPayloadUnits, 43800);
    });

    it("reports a stream without an ingest profile instead of pricing its usage at zero", () => {
        const e = estimateMonthlyCost([res("aws:kinesis/stream:Stream", "bare", { shardCount: 1, tags: {} })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.match(e.unpriced[0].message, /Kinesis stream 'bare' has no valid ingest profile tag\(s\) iot:ingest:devices/);
        assert.strictEqual(readIngestProfile(res("aws:kinesis/stream:Stream", "u", { tags: UNKNOWN })), UNKNOWN_VALUE);
    });

    it("prices the AWS usage a CronJob declares (the data-path canary: about five cents a month)", () => {
        const usage = { kinesisRecords: 4380, firehoseRecords: 4380, s3ListRequests: 8760, s3GetRequests: 13140 };
        const canary = res("kubernetes:batch/v1:CronJob", "canary", { metadata: { annotations: { [MONTHLY_USAGE_ANNOTATION]: JSON.stringify(usage) } } });
        const e = estimateMonthlyCost([canary, res("kubernetes:batch/v1:CronJob", "other", { metadata: {} })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        const expected = 4380 / 1e6 * 0.014 + 4380 * 5120 / 2 ** 30 * 0.029 + 8.76 * 0.005 + 13.14 * 0.0004;
        assert.deepStrictEqual(e.expected.lines.map(l => l.name), ["canary"]);
        near(e.expected.totalUsd, expected);
        near(expected, 0.0498);
        assert.strictEqual(MONTHLY_USAGE_ANNOTATION, CANARY_USAGE_ANNOTATION);
    });

    it("names a resource type that is neither priced nor free", () => {
        const e = estimateMonthlyCost([res("aws:rds/instance:Instance", "db", {})], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.deepStrictEqual(e.unpriced.map(p => p.message), [
            "resource type aws:rds/instance:Instance ('db') is neither in the price table nor listed as free; add it to policy/pricing.ts and policy/cost.ts, or to FREE_TYPES if it has no charge",
        ]);
    });

    it("names an instance type missing from the price table", () => {
        const e = estimateMonthlyCost([res("aws:ec2/instance:Instance", "vm", { instanceType: "x2idn.32xlarge" })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.deepStrictEqual(e.unpriced.map(p => p.message), ["instance type(s) x2idn.32xlarge of 'vm' are not in the instance catalogue (policy/instances.ts)"]);
    });

    it("reports a region missing from the table and a resource pinned to another region", () => {
        assert.match(estimateMonthlyCost([], PRICE_TABLE, "ap-south-1", PRICING_DAY).unpriced[0].message, /region ap-south-1 is not in price table/);
        const e = estimateMonthlyCost([res("aws:ec2/subnet:Subnet", "sn", { availabilityZone: "us-west-2a" })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.deepStrictEqual(e.unpriced.map(p => p.message), ["'sn' is in region us-west-2, but the policy config prices region us-east-1"]);
    });

    it("treats free types, providers, Kubernetes objects and own components as free", () => {
        const e = estimateMonthlyCost([
            res("aws:ec2/vpc:Vpc", "v", {}), res("aws:iam/role:Role", "r", {}), res("pulumi:providers:aws", "p", {}),
            res("kubernetes:apps/v1:Deployment", "d", {}), res("iot:platform:Network", "n", {}),
            res("aws:ec2/vpcEndpoint:VpcEndpoint", "gw", { vpcEndpointType: "Gateway" }),
        ], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.deepStrictEqual(e, { expected: { lines: [], totalUsd: 0 }, worstCase: { lines: [], totalUsd: 0 }, unpriced: [] });
    });

    it("prices an eks:index:Cluster default node group at @pulumi/eks defaults (2 x t3.medium, max 2)", () => {
        const e = estimateMonthlyCost([res("eks:index:Cluster", "c", {})], PRICE_TABLE, "us-east-1", PRICING_DAY);
        near(lineTotal(e.expected.lines, /t3\.medium/), 2 * 0.0416 * 730);
        near(lineTotal(e.expected.lines, /control plane \(standard/), 73);
    });

    it("bills extended support for a version past standard support", () => {
        const e = estimateMonthlyCost([res("aws:eks/cluster:Cluster", "c", { version: "1.28" })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        near(e.expected.totalUsd, 0.60 * 730);
    });

    it("prices a version by its EKS support phase on the day priced: 1.34 turns extended on 2026-12-02 (UTC)", () => {
        const rate = (version: string, day: string) =>
            estimateMonthlyCost([res("aws:eks/cluster:Cluster", "c", { version })], PRICE_TABLE, "us-east-1", new Date(day)).expected.lines.map(l => [l.item, Number(l.monthlyUsd.toFixed(2))]);
        assert.deepStrictEqual(rate("1.34", "2026-12-01T23:59:59Z"), [["EKS control plane (standard support)", 73]]);
        assert.deepStrictEqual(rate("1.34", "2026-12-02T00:00:00Z"), [["EKS control plane (extended support)", 438]]);
        assert.deepStrictEqual(rate("1.35", "2026-12-02T00:00:00Z"), [["EKS control plane (standard support)", 73]]);
        assert.deepStrictEqual(rate("1.35", "2027-03-27T00:00:00Z"), [["EKS control plane (extended support)", 438]]);
        // Past extended support EKS upgrades the control plane itself, possibly to another extended version.
        assert.deepStrictEqual(rate("1.31", "2026-12-02T00:00:00Z"), [["EKS control plane (extended support)", 438]]);
        // A version newer than the calendar is in its standard support.
        assert.deepStrictEqual(rate("1.36", "2026-12-02T00:00:00Z"), [["EKS control plane (standard support)", 73]]);
    });

    it("refuses prod on 1.34 from 2026-12-02: the extended rate takes it past its budget", () => {
        const on134 = patched(platformStack(PROD_SHAPE), "eks:index:Cluster", "cluster-eks", (p) => { p.version = "1.34"; });
        const onDay = (day: string) => runStackPolicy(monthlyBudgetPolicy(PRICE_TABLE, () => new Date(day)), on134, policyConfig("prod", "monthly-budget"));
        assert.deepStrictEqual(messages(onDay("2026-12-01T12:00:00Z")), []);
        const [message] = messages(onDay("2026-12-02T00:00:00Z"));
        // $365 a month more than on 1.35: (0.60 - 0.10) x 730 hours.
        const onStandard = estimateMonthlyCost(platformStack(PROD_SHAPE), PRICE_TABLE, "us-east-1", PRICING_DAY).worstCase.totalUsd;
        assert.ok(message.startsWith(`Worst-case monthly cost ${formatUsd(onStandard + 365)} exceeds the budget of $1,700.00 `), message);
        assert.match(message, /EKS control plane \(extended support\) \$438\.00/);
    });

    describe("control plane with inputs unknown during preview", () => {
        const controlPlane = (props: Record<string, unknown>) => {
            const e = estimateMonthlyCost([res("aws:eks/cluster:Cluster", "c", props)], PRICE_TABLE, "us-east-1", PRICING_DAY);
            assert.deepStrictEqual(e.unpriced, []);
            return [e.expected.lines, e.worstCase.lines].map(ls => ls.map(l => [l.item, Number(l.monthlyUsd.toFixed(2)), l.bound]));
        };

        it("uses the standard rate for a known version in standard support, whatever the support type becomes", () => {
            const standard = [["EKS control plane (standard support)", 73, undefined]];
            assert.deepStrictEqual(controlPlane({ version: "1.34", upgradePolicy: UNKNOWN }), [standard, standard]);
            assert.deepStrictEqual(controlPlane({ version: "1.34", upgradePolicy: { supportType: UNKNOWN } }), [standard, standard]);
            assert.deepStrictEqual(controlPlane({ version: "1.34", upgradePolicy: { supportType: "EXTENDED" } }), [standard, standard]);
        });

        it("bounds an unknown support type of a version past standard support at the extended rate, the EKS default", () => {
            const line = ["EKS control plane (extended support)", 438,
                "support type unknown during preview: version 1.28 is past standard support since 2024-11-26, priced at the extended-support rate (the EKS default)"];
            assert.deepStrictEqual(controlPlane({ version: "1.28", upgradePolicy: UNKNOWN }), [[line], [line]]);
        });

        it("bounds an unknown version: expected at the standard rate, worst case at the extended rate", () => {
            const bound = "Kubernetes version unknown during preview: expected at the standard rate, worst case at the extended-support rate";
            assert.deepStrictEqual(controlPlane({ version: UNKNOWN }), [
                [["EKS control plane (standard; worst case extended support)", 73, bound]],
                [["EKS control plane (standard; worst case extended support)", 438, bound]],
            ]);
        });

        it("uses the standard rate for support type STANDARD, known or not the version", () => {
            const standard = [["EKS control plane (standard support)", 73, undefined]];
            for (const version of ["1.28", UNKNOWN]) {
                assert.deepStrictEqual(controlPlane({ version, upgradePolicy: { supportType: "STANDARD" } }), [standard, standard]);
            }
        });
    });

    it("bounds an unknown load balancer type at the dearer of the two", () => {
        const e = estimateMonthlyCost([res("aws:lb/loadBalancer:LoadBalancer", "lb", { loadBalancerType: UNKNOWN })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.deepStrictEqual(e.worstCase.lines.map(l => [l.item, l.bound]), [
            ["load balancer hours", "load balancer type unknown during preview: priced at the dearer of application and network"],
        ]);
        near(e.worstCase.totalUsd, 0.0225 * 730);
    });

    it("reports an input unknown during preview that no price bounds, instead of leaving it out", () => {
        const e = estimateMonthlyCost([res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: UNKNOWN, scalingConfig: { desiredSize: 2, maxSize: 3 } })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.deepStrictEqual(e.unpriced.map(p => p.message), [
            "instance type or maximum node count of 'ng' (aws:eks/nodeGroup:NodeGroup) is unknown during preview and no price bounds it, so the worst case would not be an upper bound",
        ]);
        assert.deepStrictEqual(e.worstCase.lines, []);
    });

    it("bounds an unknown desired size of a node group by its maximum, expected at its minimum", () => {
        const e = estimateMonthlyCost([res("aws:eks/nodeGroup:NodeGroup", "ng", {
            instanceTypes: ["m6i.large"], diskSize: 20, scalingConfig: { desiredSize: UNKNOWN, minSize: 2, maxSize: 5 },
        })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        const bound = "desired size unknown during preview: expected at the minimum, worst case at the maximum";
        assert.deepStrictEqual(e.expected.lines.map(l => [l.item, l.bound]), [["m6i.large x 2 (max 5)", bound], ["EBS gp2 20 GB root volume per node", bound]]);
        near(e.expected.totalUsd, 2 * (0.096 * 730 + 20 * 0.10));
        near(e.worstCase.totalUsd, 5 * (0.096 * 730 + 20 * 0.10));
        assert.deepStrictEqual(e.unpriced, []);
    });

    it("counts a remote component and its real-preview children once", () => {
        const mocks = estimateMonthlyCost(platformStack(PROD_SHAPE), PRICE_TABLE, "us-east-1", PRICING_DAY);
        const preview = estimateMonthlyCost(platformStack({ ...PROD_SHAPE, realPreview: "first" }), PRICE_TABLE, "us-east-1", PRICING_DAY);
        near(preview.worstCase.totalUsd, mocks.worstCase.totalUsd);
        near(preview.expected.totalUsd, mocks.expected.totalUsd);
        assert.deepStrictEqual(preview.expected.lines.filter(l => /m6a|control plane/.test(l.item)).map(l => [l.type, l.item]), [
            ["aws:eks/cluster:Cluster", "EKS control plane (standard support)"],
            ["aws:eks/nodeGroup:NodeGroup", "m6a.large x 3 (max 6)"],
        ]);
        assert.deepStrictEqual(preview.unpriced, []);
    });

    it("prices a real preview's cluster through its children: control plane once, default node group once", () => {
        // given: the component without inputs, its aws:eks/cluster child and default node group ASG
        const cluster = res("eks:index:Cluster", "c", {});
        const child = res("aws:eks/cluster:Cluster", "c-eksCluster", { version: "1.34" }, cluster);
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "c-launchTemplate", { id: UNKNOWN, instanceType: "t3.medium" }, cluster);
        const asg = res("aws:autoscaling/group:Group", "c", { desiredCapacity: 2, minSize: 1, maxSize: 2, launchTemplate: { id: UNKNOWN, version: UNKNOWN } },
            cluster, { propertyDependencies: { launchTemplate: [lt.urn] } });
        // when
        const e = estimateMonthlyCost([cluster, child, lt, asg, res("eks:index:VpcCni", "c-cni", {}, cluster)], PRICE_TABLE, "us-east-1", PRICING_DAY);
        // then
        assert.deepStrictEqual(e.expected.lines.map(l => [l.name, l.item]), [
            ["c-eksCluster", "EKS control plane (standard support)"],
            ["c", "t3.medium x 2 (max 2)"],
            ["c", "EBS gp2 20 GB root volume per node"],
        ]);
        assert.deepStrictEqual(e.unpriced, []);
    });

    it("estimates the prod- and staging-shaped stacks within their budgets", () => {
        const prod = estimateMonthlyCost(platformStack(PROD_SHAPE), PRICE_TABLE, "us-east-1", PRICING_DAY);
        const staging = estimateMonthlyCost(platformStack(STAGING_SHAPE), PRICE_TABLE, "us-east-2", PRICING_DAY);
        near(prod.expected.totalUsd, 902.36);
        near(prod.worstCase.totalUsd, 1561.42);
        near(staging.expected.totalUsd, 289.81);
        near(staging.worstCase.totalUsd, 377.44);
        assert.ok(prod.worstCase.totalUsd <= (policyConfig("prod", "monthly-budget").monthlyBudgetUsd as number));
        assert.ok(staging.worstCase.totalUsd <= (policyConfig("staging", "monthly-budget").monthlyBudgetUsd as number));
    });
});

describe("monthly-budget policy", () => {
    const policy = monthlyBudgetPolicy();

    it("passes the shipped prod and staging configs on their stacks", () => {
        assert.deepStrictEqual(runStackPolicy(policy, platformStack(PROD_SHAPE), policyConfig("prod", "monthly-budget")), []);
        assert.deepStrictEqual(runStackPolicy(policy, platformStack(STAGING_SHAPE), policyConfig("staging", "monthly-budget")), []);
    });

    it("fails the prod-shaped stack against the staging budget with the breakdown", () => {
        const vs = runStackPolicy(policy, platformStack(PROD_SHAPE), policyConfig("staging", "monthly-budget"));
        // The prod subnets pin us-east-1 AZs: the staging config's region does not match them.
        assert.deepStrictEqual(vs.slice(0, -1).map(x => x.message), ["private", "public"].flatMap(k => [0, 1, 2].map(i =>
            `Cost estimate incomplete: 'net-${k}-${i}' is in region us-east-1, but the policy config prices region us-east-2.`)));
        const v = vs[vs.length - 1];
        assert.strictEqual(v.urn, undefined);
        assert.match(v.message, /^Worst-case monthly cost \$1,561\.42 exceeds the budget of \$600\.00 \(limit: policy config → monthly-budget\.monthlyBudgetUsd\); expected \$902\.36, us-east-2 list prices 2025\.06\.2 as of 2025-06-01\. Top worst-case lines: data-delivery: Firehose ingest 12531 GB \(5 KB rounding\) \$726\.81; cluster-nodes: m6a\.large x 3 \(max 6\) \$378\.43; /);
        assert.match(v.message, /Total \$1,561\.42\.$/);
    });

    it("names the lines priced at a bound in the violation", () => {
        const vs = runStackPolicy(policy, [res("aws:eks/cluster:Cluster", "c", { version: UNKNOWN })], { region: "us-east-1", monthlyBudgetUsd: 100 });
        assert.deepStrictEqual(messages(vs), [
            `Worst-case monthly cost $438.00 exceeds the budget of $100.00 (limit: policy config → monthly-budget.monthlyBudgetUsd); expected $73.00, us-east-1 list prices ${PRICE_TABLE.version} as of ${PRICE_TABLE.asOf}. ` +
            "Top worst-case lines: c: EKS control plane (standard; worst case extended support) $438.00. Total $438.00. " +
            "Bounded (unknown during preview): c: EKS control plane (standard; worst case extended support) $438.00 " +
            "(Kubernetes version unknown during preview: expected at the standard rate, worst case at the extended-support rate).",
        ]);
    });

    it("reports an unpriced resource against its URN", () => {
        const stack = [...platformStack(STAGING_SHAPE), res("aws:sqs/queue:Queue", "q", {})];
        const vs = runStackPolicy(policy, stack, policyConfig("staging", "monthly-budget"));
        assert.deepStrictEqual(vs.map(v => v.urn), [stack[stack.length - 1].urn]);
        assert.match(vs[0].message, /^Cost estimate incomplete: resource type aws:sqs\/queue:Queue \('q'\)/);
    });

    it("does not fail on a key ARN created in the same stack (unknown during preview)", () => {
        const stack = patched(platformStack(PROD_SHAPE), "aws:kinesis/stream:Stream", "data-telemetry", p => { p.kmsKeyId = UNKNOWN; p.arn = UNKNOWN; });
        assert.deepStrictEqual(runStackPolicy(policy, stack, policyConfig("prod", "monthly-budget")), []);
    });

    it("reports an invalid config instead of running with it", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, [], { region: "us-east-1", monthlyBudgetUsd: -1 })), [
            "Invalid policy config for 'monthly-budget': monthlyBudgetUsd must be >= 0, got -1. Run with --policy-pack-config policy/config/<env>.json.",
        ]);
    });
});
