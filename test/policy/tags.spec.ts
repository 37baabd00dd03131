import * as assert from "assert";
import { environmentTagPolicy } from "../../policy/tags";
import { messages, patched, platformStack, policyConfig, PROD_SHAPE, res, runStackPolicy, STAGING_SHAPE, UNKNOWN } from "./util";

describe("environment-tag", () => {
    const policy = environmentTagPolicy();
    it("passes each stack with its own config", () => {
        assert.deepStrictEqual(runStackPolicy(policy, platformStack(PROD_SHAPE), policyConfig("prod", "environment-tag")), []);
        assert.deepStrictEqual(runStackPolicy(policy, platformStack(STAGING_SHAPE), policyConfig("staging", "environment-tag")), []);
    });
    it("skips the children of @pulumi/eks components in a real preview (tags the program cannot set)", () => {
        const preview = patched(platformStack({ ...PROD_SHAPE, realPreview: "first" }), "aws:iam/role:Role", "cluster-eks-eksRole-role", p => { delete p.tags; });
        assert.deepStrictEqual(runStackPolicy(policy, preview, policyConfig("prod", "environment-tag")), []);
    });
    it("fails the prod config on a staging stack in one line, not once per resource", () => {
        const stack = platformStack(STAGING_SHAPE);
        const vs = runStackPolicy(policy, stack, policyConfig("prod", "environment-tag"));
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /^This policy config is for environment "prod", but the stack's \d+ tagged resources are all Environment "staging": run with the staging policy config \(policy\/config\/staging\.json\)\.$/);
        assert.strictEqual(vs[0].urn, undefined);
    });
    it("names each stray resource when the stack is mostly of the config's environment", () => {
        const stack = patched(platformStack(PROD_SHAPE), "aws:kms/key:Key", "data-key", p => { p.tags = { ...p.tags, Environment: "staging" }; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, policyConfig("prod", "environment-tag"))),
            ["'data-key' (aws:kms/key:Key) has Environment tag \"staging\"; this policy config is for environment \"prod\"."]);
    });
    it("fails a taggable resource without tags, accepts provider default tags, skips unknown tags", () => {
        const stack = patched(platformStack(PROD_SHAPE), "aws:kms/key:Key", "data-key", p => { delete p.tags; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, { environment: "prod" })), ["'data-key' (aws:kms/key:Key) has Environment tag missing; this policy config is for environment \"prod\"."]);
        assert.deepStrictEqual(runStackPolicy(policy, [res("aws:kms/key:Key", "k", { tags: {}, tagsAll: { Environment: "prod" } })], { environment: "prod" }), []);
        assert.deepStrictEqual(runStackPolicy(policy, [res("aws:kms/key:Key", "k", { tags: UNKNOWN })], { environment: "prod" }), []);
    });
    it("requires the environment in the config", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, [])), ["Invalid policy config for 'environment-tag': environment is required. Run with --policy-pack-config policy/config/<env>.json."]);
    });
});
