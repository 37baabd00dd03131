import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { AlertingRule, platformRules } from "../../components/monitoring/rules";
import { renderStack, writeRendered } from "../../scripts/render-monitoring";

function has(tool: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** The real promtool and amtool on what the program renders; skipped where the Debian packages are absent. */
describe("promtool and amtool on the rendered config", function () {
    let dir: string;
    before(function () {
        if (!has("promtool") || !has("amtool")) {
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

        function promtoolTest(name: string, inputSeries: object[], expected: { NodeGroupAtMaxSize: object[]; PodsPendingCapacityExhausted: object[] }) {
            const rulesFile = path.join(dir, `${name}-rules.yaml`);
            const testFile = path.join(dir, `${name}-test.yaml`);
            fs.writeFileSync(rulesFile, yaml.dump(rules, { lineWidth: -1 }));
            fs.writeFileSync(testFile, yaml.dump({
                rule_files: [rulesFile],
                evaluation_interval: "1m",
                tests: [{
                    interval: "1m",
                    input_series: inputSeries,
                    alert_rule_test: Object.entries(expected).map(([alertname, exp_alerts]) => ({ eval_time: "30m", alertname, exp_alerts })),
                }],
            }, { lineWidth: -1 }));
            const result = spawnSync("promtool", ["test", "rules", testFile], { encoding: "utf8" });
            assert.equal(result.status, 0, result.stdout + result.stderr);
        }

        it("fires when the group has run at its maximum, and pages when pods are pending then", () => {
            promtoolTest("at-max", [...nodes(3), pending], {
                NodeGroupAtMaxSize: [firing(atMax, 3)],
                PodsPendingCapacityExhausted: [firing(exhausted, 1, { namespace: "ingest" })],
            });
        });

        it("stays quiet below the maximum", () => {
            promtoolTest("below-max", [...nodes(2), pending], { NodeGroupAtMaxSize: [], PodsPendingCapacityExhausted: [] });
        });

        it("stays quiet while EKS updates the managed node group (surge nodes beyond the maximum, old nodes tainted)", () => {
            promtoolTest("node-group-update", [...nodes(5), updateTaint, pending], { NodeGroupAtMaxSize: [], PodsPendingCapacityExhausted: [] });
        });
    });

    it("fails a route to an undefined receiver", () => {
        const rendered = renderStack("prod");
        const file = path.join(dir, "bad-alertmanager.yaml");
        fs.writeFileSync(file, JSON.stringify({ ...rendered.alertmanager, receivers: [{ name: "null" }] }));
        assert.notEqual(spawnSync("amtool", ["check-config", file]).status, 0);
    });
});
