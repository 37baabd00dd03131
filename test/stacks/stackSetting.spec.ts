import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackSetting, StackSettingError } from "../../tools/stackSetting";
import { PROJECT_DIR, stackConfig, withConfig, writeStackFile } from "../util";

describe("stack settings the workflows read (tools/stackSetting.ts)", () => {
    it("gives the deploy and preview roles exactly as the stack file grants them cluster access", () => {
        const access = JSON.parse(stackConfig("prod")["iot-platform:cluster"]).access;
        assert.equal(stackSetting(PROJECT_DIR, "prod", "deploy-role"), access.deployRoleArn);
        assert.equal(stackSetting(PROJECT_DIR, "prod", "preview-role"), access.previewRoleArn);
    });

    it("gives where the stack's cluster lives", () => {
        assert.equal(stackSetting(PROJECT_DIR, "staging", "cluster-name"), "iot-platform-staging");
        assert.equal(stackSetting(PROJECT_DIR, "staging", "region"), "us-east-2");
    });

    it("names the key when the stack file leaves a role unset", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iot-setting-"));
        try {
            writeStackFile(dir, "bare", withConfig("prod", "cluster", (c) => { delete c.value.access; }));
            assert.throws(() => stackSetting(dir, "bare", "preview-role"),
                (err: Error) => err instanceof StackSettingError && err.message === "iot-platform:cluster.access.previewRoleArn is not set in Pulumi.bare.yaml");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses an unknown setting, listing the known ones", () => {
        assert.throws(() => stackSetting(PROJECT_DIR, "prod", "admin-role"), /unknown setting "admin-role"; one of deploy-role, preview-role, cluster-name, region/);
    });
});
