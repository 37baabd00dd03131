// The whole pack over the shipped stacks, in both shapes it runs in: the offline check (components with
// their inputs, as under mocks) and a real `pulumi preview` (pulumi-eks children visible, components
// without inputs, ids unknown). Nothing may block a real `pulumi up` of a compliant stack.
import * as assert from "assert";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { createPolicies } from "../../policy/policies";
import { Env, packConfig, platformStack, PROD_SHAPE, runResourcePolicy, runStackPolicy, STAGING_SHAPE, StackShape } from "./util";

function runPack(shape: StackShape, env: Env): string[] {
    const config = packConfig(env);
    const stack = platformStack(shape);
    const out: string[] = [];
    for (const p of createPolicies()) {
        const { enforcementLevel: _level, ...props } = (config[p.name] ?? {}) as Record<string, unknown>;
        if ("validateStack" in p) {
            out.push(...runStackPolicy(p as StackValidationPolicy, stack, props).map(v => `${p.name}: ${v.message}`));
        } else {
            for (const r of stack) {
                out.push(...runResourcePolicy(p as ResourceValidationPolicy, r, props).map(m => `${p.name}: ${m}`));
            }
        }
    }
    return out;
}

describe("policy pack over the shipped stacks", () => {
    for (const [shape, env] of [[PROD_SHAPE, "prod"], [STAGING_SHAPE, "staging"]] as const) {
        it(`reports nothing, mandatory or advisory, for ${env}, under mocks and in a real preview`, () => {
            assert.deepStrictEqual(runPack(shape, env), []);
            assert.deepStrictEqual(runPack({ ...shape, realPreview: "first" }, env), []);
        });
    }
});
