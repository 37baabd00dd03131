import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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

    it("fails a route to an undefined receiver", () => {
        const rendered = renderStack("prod");
        const file = path.join(dir, "bad-alertmanager.yaml");
        fs.writeFileSync(file, JSON.stringify({ ...rendered.alertmanager, receivers: [{ name: "null" }] }));
        assert.notEqual(spawnSync("amtool", ["check-config", file]).status, 0);
    });
});
