import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AlertingRule, platformRules } from "../../components/monitoring/rules";
import { renderStack, writeRendered } from "../../scripts/render-monitoring";
import { hasTool, promtoolTest } from "./promtool";

/** The real promtool and amtool on what the program renders; skipped where the Debian packages are absent. */
describe("promtool and amtool on the rendered config", function () {
    let dir: string;
    before(function () {
        if (!hasTool("promtool") || !hasTool("amtool")) {
            this.skip();
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-"));
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    for (const stack of ["prod", "staging"]) {
        it(`${stack}: rules, dashboard queries and the Alertmanager config pass`, () => {
            const [rules, queries, alertmanager] = writeRendered(dir, stack, renderStack(stack));
            execFileSync("promtool", ["check", "rules", rules, queries], { stdio: "pipe" });
            execFileSync("amtool", ["check-config", alertmanager], { stdio: "pipe" });
        });
    }

    it("fails a broken expression (the check is not vacuous)", () => {
        const rendered = renderStack("prod");
        rendered.rules.groups[0].rules[0] = { ...rendered.rules.groups[0].rules[0], expr: "sum by (namespace (kube_pod_info)" };
        const [rules] = writeRendered(dir, "broken", rendered);
        const result = spawnSync("promtool", ["check", "rules", rules], { encoding: "utf8" });
        assert.notEqual(result.status, 0);
        assert.match(result.stdout + result.stderr, /parse error|unexpected/);
    });

    describe("capacity rules evaluated by promtool (3-node group)", () => {
        const rules = platformRules({ appNamespaces: ["ingest"], nodeGroupMaxSize: 3, runbookBaseUrl: "https://example.com/runbooks/" });
        const capacity = rules.groups.find((g) => g.name === "iot-platform.capacity")!.rules;
        const ksm = (metric: string, labels: string) => `${metric}{job="kube-state-metrics", ${labels}}`;
        const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ series: ksm("kube_node_info", `node="n${i}"`), values: "1x40" }));
        const updateTaint = { series: ksm("kube_node_spec_taint", `node="n0", key="eks.amazonaws.com/nodegroup", value="unschedulable", effect="NoSchedule"`), values: "1x40" };
        const pending = { series: ksm("kube_pod_status_unschedulable", `namespace="ingest", pod="p"`), values: "1x40" };
        /** The alert as promtool reports it: the rule's labels and annotations with $labels and $value filled in. */
        const firing = (rule: AlertingRule, value: number, labels: Record<string, string> = {}) => {
            const fill = (text: string) => text.replace(/\{\{ \$value \}\}/g, String(value)).replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l]);
            return {
                exp_labels: { ...rule.labels, ...labels },
                exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fill(v)])),
            };
        };
        const atMax = capacity.find((r) => r.alert === "NodeGroupAtMaxSize")!;
        const exhausted = capacity.find((r) => r.alert === "PodsPendingCapacityExhausted")!;

        it("fires when the group has run at its maximum, and pages when pods are pending then", () => {
            promtoolTest(dir, "at-max", rules, [...nodes(3), pending], "30m", {
                NodeGroupAtMaxSize: [firing(atMax, 3)],
                PodsPendingCapacityExhausted: [firing(exhausted, 1, { namespace: "ingest" })],
            });
        });

        it("stays quiet below the maximum", () => {
            promtoolTest(dir, "below-max", rules, [...nodes(2), pending], "30m", { NodeGroupAtMaxSize: [], PodsPendingCapacityExhausted: [] });
        });

        it("stays quiet while EKS updates the managed node group (surge nodes beyond the maximum, old nodes tainted)", () => {
            promtoolTest(dir, "node-group-update", rules, [...nodes(5), updateTaint, pending], "30m", { NodeGroupAtMaxSize: [], PodsPendingCapacityExhausted: [] });
        });
    });

    it("fails a route to an undefined receiver", () => {
        const rendered = renderStack("prod");
        const file = path.join(dir, "bad-alertmanager.yaml");
        fs.writeFileSync(file, JSON.stringify({ ...rendered.alertmanager, receivers: [{ name: "null" }] }));
        assert.notEqual(spawnSync("amtool", ["check-config", file]).status, 0);
    });
});
