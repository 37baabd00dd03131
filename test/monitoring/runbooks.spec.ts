import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { dataPathAlarms } from "../../components/monitoring/alarms";
import { alertNamesOf } from "../../components/monitoring/rules";
import { renderStack, shippedStacks } from "../../scripts/render-monitoring";
import { ofType, PROJECT_DIR, runStack } from "../util";

const RUNBOOKS = path.join(PROJECT_DIR, "docs", "runbooks");
/** The one template every runbook follows. */
const SECTIONS = ["## Meaning", "## Impact", "## How to confirm", "## Immediate actions", "## Escalation", "## RCA notes"];

function runbookFiles(): string[] {
    return fs.readdirSync(RUNBOOKS).filter((f) => f.endsWith(".md")).map((f) => f.replace(/\.md$/, "")).sort();
}

describe("runbooks", () => {
    const alertNames = new Set<string>();
    before(async () => {
        for (const stack of shippedStacks()) {
            alertNamesOf(renderStack(stack).rules).forEach((n) => alertNames.add(n));
            const alarms = ofType((await runStack(stack)).resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
            alarms.forEach((a) => alertNames.add(a.inputs.tags["iot.platform/alert"]));
        }
        dataPathAlarms({ retentionHours: 48, bufferingIntervalSeconds: 0 }).forEach((a) => alertNames.add(a.alertName));
    });

    it("exists for every alert the rules and alarms can raise", () => {
        const missing = [...alertNames].filter((n) => !fs.existsSync(path.join(RUNBOOKS, `${n}.md`)));
        assert.deepEqual(missing, []);
        assert.equal(alertNames.size, 15);
    });

    it("has no orphan: every runbook belongs to an alert", () => {
        assert.deepEqual(runbookFiles().filter((f) => !alertNames.has(f)), []);
    });

    it("follows the template, titled with the alert name", () => {
        for (const name of runbookFiles()) {
            const text = fs.readFileSync(path.join(RUNBOOKS, `${name}.md`), "utf8");
            assert.ok(text.startsWith(`# ${name}\n`), name);
            const positions = SECTIONS.map((s) => text.indexOf(`\n${s}\n`));
            assert.ok(positions.every((p) => p > 0), `${name} lacks one of ${SECTIONS.join(", ")}`);
            assert.deepEqual([...positions].sort((a, b) => a - b), positions, `${name}: sections out of order`);
            assert.match(text, /15 minutes[\s\S]*1 hour/, `${name}: escalation timers`);
        }
    });

    it("links each runbook from its alert under the configured base URL", async () => {
        const rules = renderStack("prod").rules.groups.flatMap((g) => g.rules);
        for (const rule of rules) {
            assert.ok(rule.annotations.runbook_url.endsWith(`/docs/runbooks/${rule.alert}.md`), rule.alert);
        }
    });
});
