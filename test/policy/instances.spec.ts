import * as assert from "assert";
import { compareWithBaseline, priceBaseline } from "../../policy/baseline";
import { estimateMonthlyCost } from "../../policy/cost";
import {
    AL2023_AMI_TYPES, ARCHITECTURES, CATALOGUE_REGIONS, INSTANCE_CATALOGUE, kubeReserved, maxPods,
} from "../../policy/instances";
import { PRICE_TABLE } from "../../policy/pricing";
import { PRICING_DAY, res } from "./util";

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 0.005, `${actual} != ${expected}`);
const entry = (type: string) => INSTANCE_CATALOGUE.types[type];

describe("instance catalogue", () => {
    const types = Object.entries(INSTANCE_CATALOGUE.types);

    it("is dated and names its sources", () => {
        assert.match(INSTANCE_CATALOGUE.asOf, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(INSTANCE_CATALOGUE.sources.some(s => s.includes("amazon-eks-ami")));
        assert.ok(INSTANCE_CATALOGUE.sources.some(s => s.includes("aws.amazon.com/ec2/pricing")));
    });

    it("gives every type every field, a known architecture and a positive price in every region", () => {
        for (const [type, e] of types) {
            assert.ok(Number.isInteger(e.vcpu) && e.vcpu > 0, type);
            assert.ok(Number.isInteger(e.memoryMiB) && e.memoryMiB >= 1024, type);
            assert.ok((ARCHITECTURES as readonly string[]).includes(e.architecture), type);
            assert.ok(e.enis >= 2 && e.ipv4PerEni >= 2, type);
            assert.deepStrictEqual(Object.keys(e.hourlyUsd).sort(), [...CATALOGUE_REGIONS].sort(), type);
            for (const region of CATALOGUE_REGIONS) {
                assert.ok(e.hourlyUsd[region] > 0, `${type} ${region}`);
            }
        }
    });

    it("covers the current general-purpose, compute and memory families on both architectures, large to 4xlarge", () => {
        for (const family of ["m6i", "m7i", "m6a", "m7a", "m6g", "m7g", "c6i", "c7i", "c7g", "r6i", "r7i", "r7g"]) {
            for (const size of ["large", "xlarge", "2xlarge", "4xlarge"]) {
                assert.ok(entry(`${family}.${size}`), `${family}.${size}`);
            }
        }
        // t3/t4g stop at 2xlarge; medium is there for the migration's baseline fleet
        for (const family of ["t3", "t4g"]) {
            for (const size of ["medium", "large", "xlarge", "2xlarge"]) {
                assert.ok(entry(`${family}.${size}`), `${family}.${size}`);
            }
        }
        assert.strictEqual(entry("m7g.large").architecture, "arm64");
        assert.strictEqual(entry("m6a.large").architecture, "x86_64");
    });

    it("prices a size twice the one below it, within each family and region", () => {
        for (const [type, e] of types) {
            const [family, size] = type.split(".");
            const next = entry(`${family}.${size === "medium" ? "large" : size === "large" ? "xlarge" : `${2 * (parseInt(size, 10) || 1)}xlarge`}`);
            if (next) {
                for (const region of CATALOGUE_REGIONS) {
                    near(next.hourlyUsd[region], 2 * e.hourlyUsd[region]);
                }
            }
        }
    });

    it("computes max pods as eni-max-pods.txt lists them", () => {
        // amazon-eks-ami eni-max-pods.txt: t3.medium 17, t3.large 35, m6i.large 29, m6i.xlarge 58, m6i.4xlarge 234
        assert.deepStrictEqual(["t3.medium", "t3.large", "m6i.large", "m6i.xlarge", "m6i.4xlarge"].map(t => maxPods(entry(t))), [17, 35, 29, 58, 234]);
    });

    it("reserves for the kubelet as nodeadm does", () => {
        // CPU 60 + 10 + 2 × 5 + 12 × 2.5; memory 11 × 234 + 255
        assert.deepStrictEqual(kubeReserved(entry("m6i.4xlarge")), { cpuMillis: 110, memoryMiB: 2829 });
        assert.deepStrictEqual(kubeReserved(entry("t3.medium")), { cpuMillis: 70, memoryMiB: 442 });
    });

    it("maps each architecture to its AL2023 managed node group AMI type", () => {
        assert.deepStrictEqual(AL2023_AMI_TYPES, { x86_64: "AL2023_x86_64_STANDARD", arm64: "AL2023_ARM_64_STANDARD" });
    });

    it("is the pack's only source of EC2 prices, so a type cannot be priced without being sized", () => {
        for (const [region, prices] of Object.entries(PRICE_TABLE.regions)) {
            assert.deepStrictEqual(Object.keys(prices.ec2InstanceHour).sort(), types.map(([t]) => t).sort(), region);
            for (const [type, e] of types) {
                assert.strictEqual(prices.ec2InstanceHour[type], e.hourlyUsd[region as keyof typeof e.hourlyUsd], `${region} ${type}`);
            }
        }
    });
});

describe("cost baseline", () => {
    const seedFleet = { description: "15 x t3.medium", instances: [{ instanceType: "t3.medium", count: 15 }] };

    it("prices the seed's fleet on demand for 730 hours", () => {
        const priced = priceBaseline(seedFleet, PRICE_TABLE, "us-east-1");
        near(priced.totalUsd, 15 * 0.0416 * 730);
        assert.deepStrictEqual(priced.lines.map(l => l.item), ["15 x t3.medium on demand"]);
    });

    it("adds fixed lines to the baseline", () => {
        const priced = priceBaseline({ ...seedFleet, fixedMonthlyUsd: [{ item: "monitoring agents", usd: 100 }] }, PRICE_TABLE, "us-east-1");
        near(priced.totalUsd, 15 * 0.0416 * 730 + 100);
    });

    it("compares the stack's node and control-plane cost with it, in percent", () => {
        // given 3 (max 6) × m6a.large and one EKS control plane
        const stack = [
            res("aws:eks/cluster:Cluster", "c", { version: "1.34" }),
            res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["m6a.large"], diskSize: 50, scalingConfig: { desiredSize: 3, minSize: 3, maxSize: 6 } }),
            res("aws:ec2/natGateway:NatGateway", "nat", {}),
        ];
        // when
        const c = compareWithBaseline(estimateMonthlyCost(stack, PRICE_TABLE, "us-east-1", PRICING_DAY), seedFleet, PRICE_TABLE, "us-east-1");
        // then the root volumes and the NAT gateway are not compared; 262.22 vs 455.52
        near(c.compute.expectedUsd, 3 * 0.0864 * 730 + 73);
        near(c.compute.worstCaseUsd, 6 * 0.0864 * 730 + 73);
        near(c.differencePercent.expected, ((3 * 0.0864 * 730 + 73) / (15 * 0.0416 * 730) - 1) * 100);
        assert.ok(c.differencePercent.expected < -40, String(c.differencePercent.expected));
    });

    it("shows m6i.large short of the migration's 40% and m7g.large beyond it", () => {
        const pct = (type: string) => compareWithBaseline(estimateMonthlyCost([
            res("aws:eks/cluster:Cluster", "c", { version: "1.34" }),
            res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: [type], scalingConfig: { desiredSize: 3, minSize: 3, maxSize: 6 } }),
        ], PRICE_TABLE, "us-east-1", PRICING_DAY), seedFleet, PRICE_TABLE, "us-east-1").differencePercent.expected;
        assert.ok(pct("m6i.large") > -40 && pct("m6i.large") < -37, String(pct("m6i.large")));
        assert.ok(pct("m7g.large") < -44, String(pct("m7g.large")));
    });

    it("refuses a type or region it cannot price, naming it", () => {
        assert.throws(() => priceBaseline({ description: "x", instances: [{ instanceType: "m5.large", count: 1 }] }, PRICE_TABLE, "us-east-1"),
            /instances\.0\.instanceType m5\.large is not in the instance catalogue/);
        assert.throws(() => priceBaseline(seedFleet, PRICE_TABLE, "ap-south-1"), /region ap-south-1 is not in price table/);
    });
});
