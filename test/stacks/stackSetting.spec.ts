import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR, stackConfig } from "../util";

/** Runs scripts/stack-setting.ts as the workflows do. */
function stackSetting(...args: string[]) {
    const result = spawnSync(process.execPath, ["-r", "./tools/register.js", path.join("scripts", "stack-setting.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripts/stack-setting.ts (what the workflows read from a stack file)", function () {
    this.timeout(60000);

    it("prints the deploy and preview roles exactly as the stack file grants them cluster access", () => {
        const access = JSON.parse(stackConfig("prod")["iot-platform:cluster"]).access;
        assert.deepEqual(stackSetting("prod", "deploy-role"), { status: 0, stdout: `${access.deployRoleArn}\n`, stderr: "" });
        assert.deepEqual(stackSetting("prod", "preview-role"), { status: 0, stdout: `${access.previewRoleArn}\n`, stderr: "" });
    });

    it("prints where the stack's cluster lives", () => {
        assert.equal(stackSetting("staging", "cluster-name").stdout, "iot-platform-staging\n");
        assert.equal(stackSetting("staging", "region").stdout, "us-east-2\n");
    });

    it("exits 2 with the usage on an unknown setting", () => {
        const run = stackSetting("prod", "admin-role");
        assert.equal(run.status, 2);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /usage: stack-setting\.ts <stack> deploy-role\|preview-role\|cluster-name\|region/);
    });
});
