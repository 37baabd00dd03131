import { strict as assert } from "assert";
import { alertNamesOf, MEMORY_NEAR_LIMIT, NODE_GROUP_UPDATE_TAINT, platformRules, RuleOptions } from "../../components/monitoring/rules";

const options: RuleOptions = {
    appNamespaces: ["ingest", "processing", "api", "web"],
    nodeGroupMaxSize: 6,
    runbookBaseUrl: "https://github.com/acme/iot-platform/blob/main/docs/runbooks/",
};

describe("platform alert rules", () => {
    const rules = platformRules(options);
    const all = rules.groups.flatMap((g) => g.rules);

    it("gives every rule a severity, summary, description and its runbook", () => {
        for (const rule of all) {
            assert.ok(["critical", "warning"].includes(rule.labels.severity), rule.alert);
            assert.ok(rule.annotations.summary.length > 0 && rule.annotations.description.length > 0, rule.alert);
            assert.equal(rule.annotations.runbook_url, `${options.runbookBaseUrl}${rule.alert}.md`);
        }
    });

    it("covers the platform's failure modes", () => {
        assert.deepEqual(alertNamesOf(rules), [
            "AppPodRestarting", "AppPodCrashLooping", "AppHpaPinnedAtMax", "AppMemoryNearLimit", "AppAvailabilityBelowPdb",
            "NodeGroupAtMaxSize", "PodsPendingCapacityExhausted",
        ]);
    });

    it("scopes the app rules to the given namespaces and nothing else", () => {
        for (const rule of rules.groups.find((g) => g.name === "iot-platform.apps")!.rules) {
            assert.match(rule.expr, /namespace=~"ingest\|processing\|api\|web"/, rule.alert);
        }
    });

    it("stages an alert as warning then critical under one name, so inhibition can mute the warning", () => {
        const crash = all.filter((r) => r.alert === "AppPodCrashLooping");
        assert.deepEqual(crash.map((r) => [r.labels.severity, r.for]), [["warning", "5m"], ["critical", "15m"]]);
        const memory = all.filter((r) => r.alert === "AppMemoryNearLimit");
        assert.match(memory[0].expr, new RegExp(`> ${MEMORY_NEAR_LIMIT.warning}$`));
        assert.match(memory[1].expr, new RegExp(`> ${MEMORY_NEAR_LIMIT.critical}$`));
    });

    it("compares the node count with the node group's maximum, except while EKS updates the group", () => {
        // Evaluated end to end by promtool in tools.spec.ts.
        const atMax = all.find((r) => r.alert === "NodeGroupAtMaxSize")!;
        assert.match(atMax.expr, /^count\(kube_node_info\{job="kube-state-metrics"\}\) >= 6\nunless on \(\) count\(kube_node_spec_taint\{/);
        assert.ok(atMax.expr.includes(NODE_GROUP_UPDATE_TAINT));
        const pending = all.find((r) => r.alert === "PodsPendingCapacityExhausted")!;
        assert.equal(pending.labels.severity, "critical");
        assert.ok(pending.expr.endsWith(`and on () (${atMax.expr})`));
    });

    it("rejects namespaces that are not Kubernetes names (they would break the regex)", () => {
        assert.throws(() => platformRules({ ...options, appNamespaces: ["ingest|.*"] }), /appNamespaces must be Kubernetes namespace names, got "ingest\|\.\*"/);
        assert.throws(() => platformRules({ ...options, appNamespaces: [] }), /at least one namespace/);
        assert.throws(() => platformRules({ ...options, nodeGroupMaxSize: 0 }), /nodeGroupMaxSize must be a whole number of at least 1, got 0/);
    });
});
