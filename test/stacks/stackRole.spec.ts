import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR, stackConfig } from "../util";

/** Runs scripts/stack-role.ts as the workflows do. */
function stackRole(...args: string[]) {
    const result = spawnSync(process.execPath, ["-r", "./tools/register.js", path.join("scripts", "stack-role.ts"), ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripts/stack-role.ts (the role a workflow assumes)", function () {
    this.timeout(30000);

    for (const stack of ["prod", "staging"]) {
        it(`prints ${stack}'s deploy and preview roles exactly as the stack file grants them access`, () => {
            const access = JSON.parse(stackConfig(stack)["iot-platform:cluster"]).access;
            assert.deepEqual(stackRole(stack, "deploy"), { status: 0, stdout: `${access.deployRoleArn}\n`, stderr: "" });
            assert.deepEqual(stackRole(stack, "preview"), { status: 0, stdout: `${access.previewRoleArn}\n`, stderr: "" });
        });
    }

    it("exits 2 with the usage on an unknown role", () => {
        const run = stackRole("prod", "admin");
        assert.equal(run.status, 2);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /usage: stack-role\.ts <stack> deploy\|preview/);
    });
});
