import { strict as assert } from "assert";
import { cidrsOverlap, formatCidr, parseCidr, planSubnets, subnetAt } from "../../components/network/cidr";

describe("cidr", () => {
    it("parses canonical CIDRs and round-trips them", () => {
        const cidr = parseCidr("10.20.0.0/16");
        assert.deepEqual(cidr, { base: (10 * 256 + 20) * 65536, prefix: 16 });
        assert.equal(formatCidr(cidr!), "10.20.0.0/16");
    });

    for (const bad of ["10.20.0.1/16", "10.20.0.0", "256.0.0.0/8", "10.0.0.0/33", "ten.0.0.0/8", "10.0.0.0/16 "]) {
        it(`rejects "${bad}"`, () => assert.equal(parseCidr(bad), undefined));
    }

    it("detects overlap and adjacency", () => {
        const p = (s: string) => parseCidr(s)!;
        assert.equal(cidrsOverlap(p("10.0.0.0/16"), p("10.0.128.0/17")), true);
        assert.equal(cidrsOverlap(p("10.0.0.0/16"), p("10.1.0.0/16")), false);
        assert.equal(cidrsOverlap(p("172.20.0.0/16"), p("172.16.0.0/12")), true);
    });

    it("carves indexed blocks and refuses out-of-range ones", () => {
        const vpc = parseCidr("10.20.0.0/16")!;
        assert.equal(formatCidr(subnetAt(vpc, 19, 2)), "10.20.64.0/19");
        assert.throws(() => subnetAt(vpc, 19, 8), /holds 8 blocks of \/19; index 8/);
        assert.throws(() => subnetAt(vpc, 15, 0), /cannot carve a \/15/);
    });

    it("plans /19 private and /22 public subnets per zone in a /16, none overlapping", () => {
        const plan = planSubnets("10.20.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.deepEqual(plan, [
            { availabilityZone: "us-east-1a", privateCidr: "10.20.0.0/19", publicCidr: "10.20.128.0/22" },
            { availabilityZone: "us-east-1b", privateCidr: "10.20.32.0/19", publicCidr: "10.20.132.0/22" },
            { availabilityZone: "us-east-1c", privateCidr: "10.20.64.0/19", publicCidr: "10.20.136.0/22" },
        ]);
        const all = plan.flatMap((p) => [p.privateCidr, p.publicCidr]).map((c) => parseCidr(c)!);
        all.forEach((a, i) => all.slice(i + 1).forEach((b) => assert.equal(cidrsOverlap(a, b), false, `${formatCidr(a)} ~ ${formatCidr(b)}`)));
    });

    it("scales the plan to a /20 VPC", () => {
        const plan = planSubnets("10.0.16.0/20", ["a", "b"]);
        assert.equal(plan[1].privateCidr, "10.0.18.0/23");
        assert.equal(plan[0].publicCidr, "10.0.24.0/26");
    });

    it("refuses ranges too small for pods and more than four zones", () => {
        assert.throws(() => planSubnets("10.0.0.0/22", ["a", "b"]), /smaller than \/20/);
        assert.throws(() => planSubnets("10.0.0.0/16", ["a", "b", "c", "d", "e"]), /at most 4 availability zones/);
    });
});
