/** Runs `promtool test rules` on a rules file and a set of cases; for specs that check alerting rules with the real tool. */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { AlertingRule, RulesFile } from "../../components/monitoring/rules";

export function hasTool(tool: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

export interface InputSeries {
    readonly series: string;
    readonly values: string;
}

/** An alert as promtool reports it: the rule's labels and annotations, extra labels from the expression. */
export function expectedAlert(rule: AlertingRule, labels: Record<string, string>) {
    return { exp_labels: { ...rule.labels, ...labels }, exp_annotations: { ...rule.annotations } };
}

/** Fails the test with promtool's output unless every expectation holds (evaluated every minute). */
export function promtoolTest(dir: string, name: string, rules: RulesFile, inputSeries: readonly InputSeries[], evalTime: string,
    expected: Record<string, object[]>): void {
    const rulesFile = path.join(dir, `${name}-rules.yaml`);
    const testFile = path.join(dir, `${name}-test.yaml`);
    fs.writeFileSync(rulesFile, yaml.dump(rules, { lineWidth: -1 }));
    fs.writeFileSync(testFile, yaml.dump({
        rule_files: [rulesFile],
        evaluation_interval: "1m",
        tests: [{
            interval: "1m",
            input_series: inputSeries,
            alert_rule_test: Object.entries(expected).map(([alertname, exp_alerts]) => ({ eval_time: evalTime, alertname, exp_alerts })),
        }],
    }, { lineWidth: -1 }));
    const result = spawnSync("promtool", ["test", "rules", testFile], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
}
