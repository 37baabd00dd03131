import * as assert from "assert";
import { createPolicies } from "../../policy/policies";

describe("policy pack", () => {
    it("has unique names and the agreed enforcement levels", () => {
        const levels = Object.fromEntries(createPolicies().map(p => [p.name, p.enforcementLevel]));
        assert.strictEqual(Object.keys(levels).length, createPolicies().length);
        const advisory = ["k8s-read-only-root-filesystem", "k8s-topology-spread", "s3-access-logging"];
        for (const [name, level] of Object.entries(levels)) {
            assert.strictEqual(level, advisory.includes(name) ? "advisory" : "mandatory", name);
        }
        assert.deepStrictEqual(advisory.filter(a => !(a in levels)), []);
    });
});
