import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { canaryWatch } from "../../components/canary/manifests";
import { platformRules } from "../../components/monitoring/rules";
import { expectedAlert, hasTool, promtoolTest } from "../monitoring/promtool";

/** DataPathCanaryMissing evaluated by the real promtool on kube-state-metrics series (10-minute canary: fires after 25 minutes). */
describe("DataPathCanaryMissing (promtool)", function () {
    let dir: string;
    before(function () {
        if (!hasTool("promtool")) {
            this.skip();
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "canary-rules-"));
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    const watch = canaryWatch({ intervalMinutes: 10 });
    const rules = platformRules({ appNamespaces: ["ingest"], nodeGroupMaxSize: 3, runbookBaseUrl: "https://example.com/runbooks/", canary: watch });
    const rule = rules.groups.find((g) => g.name === "iot-platform.canary")!.rules[0];
    const ksm = (metric: string, cronjob = watch.cronJob) => `${metric}{job="kube-state-metrics", namespace="${watch.namespace}", cronjob="${cronjob}"}`;
    const created = { series: ksm("kube_cronjob_created"), values: "0x60" };
    /** A success every 10 minutes until `until` minutes, then none: the series keeps its last value. */
    const successes = (until: number) => ({
        series: ksm("kube_cronjob_status_last_successful_time"),
        values: Array.from({ length: 61 }, (_, m) => 600 * Math.floor(Math.min(m, until) / 10)).join(" "),
    });
    const fired = expectedAlert(rule, { namespace: watch.namespace, cronjob: watch.cronJob });

    it("is a critical rule that links its runbook", () => {
        assert.equal(rule.alert, "DataPathCanaryMissing");
        assert.equal(rule.labels.severity, "critical");
        assert.equal(rule.annotations.runbook_url, "https://example.com/runbooks/DataPathCanaryMissing.md");
        assert.equal(watch.missingAfterSeconds, 1500);
    });

    it("stays quiet while runs succeed every interval", () => {
        promtoolTest(dir, "healthy", rules, [created, successes(60)], "50m", { DataPathCanaryMissing: [] });
    });

    it("fires once the last success is older than two intervals plus five minutes (lost or late canaries)", () => {
        promtoolTest(dir, "stopped", rules, [created, successes(10)], "45m", { DataPathCanaryMissing: [fired] });
    });

    it("stays quiet one failed run after the last success", () => {
        promtoolTest(dir, "one-failure", rules, [created, successes(30)], "45m", { DataPathCanaryMissing: [] });
    });

    it("fires when the CronJob never succeeded long after its creation", () => {
        promtoolTest(dir, "never", rules, [created], "40m", { DataPathCanaryMissing: [fired] });
    });

    it("stays quiet during the first runs after creation", () => {
        promtoolTest(dir, "new", rules, [created], "20m", { DataPathCanaryMissing: [] });
    });

    it("fires when the CronJob is gone", () => {
        promtoolTest(dir, "gone", rules, [{ series: ksm("kube_cronjob_created", "something-else"), values: "0x60" }], "10m",
            { DataPathCanaryMissing: [expectedAlert(rule, { job: "kube-state-metrics", namespace: watch.namespace, cronjob: watch.cronJob })] });
    });
});
