import * as assert from "assert";
import { PolicyConfigSchema, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { unsupportedKeywords, validatePolicyPackConfig } from "../../policy/lib/config";
import { at, rawProps, UNKNOWN } from "../../policy/lib/values";
import { createPolicies } from "../../policy/policies";
import { packConfig, UNKNOWN as UNKNOWN_SENTINEL } from "./util";

const policies = createPolicies();

describe("policy pack config", () => {
    it("accepts the shipped prod and staging configs", () => {
        assert.deepStrictEqual(validatePolicyPackConfig(policies, packConfig("prod")), []);
        assert.deepStrictEqual(validatePolicyPackConfig(policies, packConfig("staging")), []);
    });

    it("rejects a negative budget", () => {
        const doc = packConfig("prod");
        doc["monthly-budget"].monthlyBudgetUsd = -5;
        assert.deepStrictEqual(validatePolicyPackConfig(policies, doc), ['Policy "monthly-budget": monthlyBudgetUsd must be >= 0, got -5']);
    });

    it("rejects an unknown field, an unknown policy and an invalid enforcement level", () => {
        const doc = packConfig("staging");
        doc["node-capacity"].spotAlowed = true;
        doc["no-such-policy"] = { enforcementLevel: "mandatory" };
        doc["kms-key-rotation"] = "strict" as never;
        assert.deepStrictEqual(validatePolicyPackConfig(policies, doc), [
            `"no-such-policy" is not a policy of this pack; known policies: ${policies.map(p => p.name).join(", ")} (and "all")`,
            'Value "strict" for "kms-key-rotation" is not a valid enforcement level (advisory, mandatory, remediate, disabled)',
            'Policy "node-capacity": spotAlowed is not an allowed field (allowed: maxTotalNodes, maxNodesPerGroup, allowedInstanceTypes, spotAllowed)',
        ]);
    });

    it("rejects a missing required limit and a region without prices", () => {
        const doc = packConfig("prod");
        delete doc["environment-tag"].environment;
        doc["monthly-budget"].region = "eu-central-1";
        assert.deepStrictEqual(validatePolicyPackConfig(policies, doc), [
            'Policy "environment-tag": environment is required',
            'Policy "monthly-budget": region must be one of "us-east-1", "us-east-2", "us-west-2", got "eu-central-1"',
        ]);
    });

    it("allows only instance types of the instance catalogue, so the pack cannot allow a type the program cannot size", () => {
        const doc = packConfig("prod");
        doc["node-capacity"].allowedInstanceTypes = ["m6a.large", "m5.large"];
        const problems = validatePolicyPackConfig(policies, doc);
        assert.strictEqual(problems.length, 1);
        assert.match(problems[0], /^Policy "node-capacity": allowedInstanceTypes\[1\] must be one of "t3\.medium", .*"r7g\.4xlarge", got "m5\.large"/);
    });

    it("suggests the policy a misspelt name means", () => {
        const doc = packConfig("prod");
        doc["node-capacty"] = doc["node-capacity"];
        assert.match(validatePolicyPackConfig(policies, doc)[0], /^"node-capacty" is not a policy of this pack \(did you mean "node-capacity"\?\); known policies: environment-tag, monthly-budget, node-capacity, /);
    });

    it("accepts an enforcement level override without properties", () => {
        assert.deepStrictEqual(validatePolicyPackConfig(policies, { ...packConfig("prod"), "s3-access-logging": "disabled", all: { enforcementLevel: "advisory" } }), []);
    });

    it("uses only schema keywords the validator implements, and never declares enforcementLevel", () => {
        for (const p of policies) {
            const schema = (p as { configSchema?: PolicyConfigSchema }).configSchema;
            if (schema) {
                assert.deepStrictEqual(unsupportedKeywords(schema), [], p.name);
                assert.ok(!("enforcementLevel" in schema.properties), p.name);
            }
        }
    });
});

describe("unknown values", () => {
    it("reads the sentinel @pulumi/policy's proxy treats as unknown, without throwing", () => {
        const props = unknownCheckingProxy({ a: { keyArn: UNKNOWN_SENTINEL } }) as Record<string, any>;
        assert.throws(() => props.a.keyArn, UnknownValueError);
        assert.strictEqual(at(rawProps(props), "a", "keyArn"), UNKNOWN);
        assert.strictEqual(at(rawProps(props), "a", "keyArn", "deeper"), UNKNOWN);
    });
});
