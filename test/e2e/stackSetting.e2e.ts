/** scripts/stack-setting.ts as the workflows run it, as a child process: the value alone on stdout, exit 2 with the usage. */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

describe("stack-setting as a command", function () {
    this.timeout(60_000);
    const run = (...args: string[]) => spawnSync(process.execPath, ["-r", "./tools/register.js", path.join("scripts", "stack-setting.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8" });

    it("prints the setting alone on stdout", () => {
        const ok = run("prod", "region");
        assert.deepEqual([ok.status, ok.stdout, ok.stderr], [0, "us-east-1\n", ""]);
    });

    it("exits 2 with the usage when the setting is missing", () => {
        const bad = run("prod");
        assert.deepEqual([bad.status, bad.stdout], [2, ""]);
        assert.match(bad.stderr, /usage: stack-setting\.ts <stack> deploy-role\|preview-role\|cluster-name\|region/);
    });
});
