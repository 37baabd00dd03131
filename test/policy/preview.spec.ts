// The whole pack over the shipped stacks, in every shape it runs in: the offline check (components with
// their inputs, as under mocks) and a real `pulumi preview`, first of a new stack (ids, ARNs and computed
// outputs unknown) or later (known from the state), with pulumi-eks children visible and components
// without inputs. Nothing may block a real `pulumi up` of a compliant stack, and every shape must give
// the same verdict: a gate that opens in one shape and closes in another is no gate.
import * as assert from "assert";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { estimateMonthlyCost } from "../../policy/cost";
import { StackResource } from "../../policy/lib/graph";
import { createPolicies } from "../../policy/policies";
import { PRICE_TABLE } from "../../policy/pricing";
import {
    Env, packConfig, patched, platformStack, policyConfig, PRICING_DAY, PROD_SHAPE, res, runResourcePolicy, runStackPolicy, STAGING_SHAPE, StackShape, UNKNOWN,
} from "./util";

const SHAPES = [undefined, "first", "update"] as const;
type Shape = (typeof SHAPES)[number];
const shapeName = (s: Shape) => s === undefined ? "mocks" : `${s} preview`;

interface Finding { policy: string; mandatory: boolean; message: string }

function runPack(stack: readonly StackResource[], env: Env, override: Record<string, Record<string, unknown>> = {}): Finding[] {
    const config = { ...packConfig(env), ...override };
    const out: Finding[] = [];
    for (const p of createPolicies()) {
        const { enforcementLevel, ...props } = (config[p.name] ?? {}) as Record<string, unknown>;
        const mandatory = (enforcementLevel ?? p.enforcementLevel) === "mandatory";
        const found = "validateStack" in p
            ? runStackPolicy(p as StackValidationPolicy, stack, props).map(v => v.message)
            : stack.flatMap(r => runResourcePolicy(p as ResourceValidationPolicy, r, props));
        out.push(...found.map(message => ({ policy: p.name, mandatory, message })));
    }
    return out;
}

const mandatoryPolicies = (fs: Finding[]) => fs.filter(f => f.mandatory).map(f => f.policy);

/** The coredns add-on as @pulumi/eks creates it for the program on main before issue 10, in each shape. */
function withCorednsInsideCluster(shape: StackShape): StackResource[] {
    const stack = platformStack(shape);
    if (!shape.realPreview) {
        return patched(stack, "eks:index:Cluster", "cluster-eks", p => { p.corednsAddonOptions = { enabled: true }; });
    }
    const component = stack.find(r => r.type === "eks:index:Cluster")!;
    const cluster = stack.find(r => r.type === "aws:eks/cluster:Cluster")!;
    return [...stack, res("aws:eks/addon:Addon", "cluster-eks-coredns",
        { addonName: "coredns", clusterName: shape.realPreview === "first" ? UNKNOWN : cluster.props.name },
        component, { propertyDependencies: { clusterName: [cluster.urn] }, dependencies: [cluster.urn] })];
}

describe("policy pack over the shipped stacks", () => {
    for (const [shape, env] of [[PROD_SHAPE, "prod"], [STAGING_SHAPE, "staging"]] as const) {
        describe(env, () => {
            it("reports nothing, mandatory or advisory, under mocks and in a first and an update preview", () => {
                for (const realPreview of SHAPES) {
                    assert.deepStrictEqual(runPack(platformStack({ ...shape, realPreview }), env), [], shapeName(realPreview));
                }
            });

            it("refuses the coredns add-on inside the cluster component in every shape", () => {
                for (const realPreview of SHAPES) {
                    assert.deepStrictEqual(mandatoryPolicies(runPack(withCorednsInsideCluster({ ...shape, realPreview }), env)), ["eks-addons-need-nodes"], shapeName(realPreview));
                }
            });

            it("prices the same worst case in every shape (never lower in a first preview), nodes and control plane once each", () => {
                const region = policyConfig(env, "monthly-budget").region as string;
                const [mocks, first, update] = SHAPES.map(realPreview => estimateMonthlyCost(platformStack({ ...shape, realPreview }), PRICE_TABLE, region, PRICING_DAY));
                for (const [name, e] of [["first", first], ["update", update]] as const) {
                    assert.deepStrictEqual(e.unpriced, [], name);
                    assert.ok(Math.abs(e.expected.totalUsd - mocks.expected.totalUsd) < 0.005, `${name} expected ${e.expected.totalUsd} != ${mocks.expected.totalUsd}`);
                }
                assert.ok(Math.abs(update.worstCase.totalUsd - mocks.worstCase.totalUsd) < 0.005);
                assert.ok(first.worstCase.totalUsd >= update.worstCase.totalUsd - 0.005);
                for (const e of [mocks, first, update]) {
                    const counted = e.worstCase.lines.filter(l => /control plane| x \d+ \(max \d+\)$/.test(l.item)).map(l => l.item);
                    assert.deepStrictEqual(counted, ["EKS control plane (standard support)", `${shape.instanceType} x ${shape.nodes.desired} (max ${shape.nodes.max})`]);
                }
            });

            it("gives one budget verdict in every shape, at the worst case and a cent below it", () => {
                const region = policyConfig(env, "monthly-budget").region as string;
                const worst = estimateMonthlyCost(platformStack(shape), PRICE_TABLE, region, PRICING_DAY).worstCase.totalUsd;
                for (const [budget, refused] of [[Math.ceil(worst * 100) / 100, []], [Math.floor(worst * 100) / 100 - 0.01, ["monthly-budget"]]] as const) {
                    for (const realPreview of SHAPES) {
                        const override = { "monthly-budget": { region, monthlyBudgetUsd: budget } };
                        assert.deepStrictEqual(mandatoryPolicies(runPack(platformStack({ ...shape, realPreview }), env, override)), refused, `${shapeName(realPreview)} at $${budget}`);
                    }
                }
            });
        });
    }
});
