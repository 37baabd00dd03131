/**
 * Prints one setting of a stack for the workflows (tools/stackSetting.ts): deploy-role, preview-role
 * (the roles the jobs assume, the ones the cluster grants access to), cluster-name, region.
 * Usage: node -r ./tools/register.js scripts/stack-setting.ts <stack> <setting>
 * Exit codes: 0 printed, 2 unknown stack or setting, bad config, or the setting is not set.
 */
import * as path from "path";
import { STACK_SETTINGS, stackSetting } from "../tools/stackSetting";

try {
    const [stack, setting] = process.argv.slice(2);
    if (!stack || !setting) {
        throw new Error(`usage: stack-setting.ts <stack> ${STACK_SETTINGS.join("|")}`);
    }
    process.stdout.write(`${stackSetting(path.resolve(__dirname, ".."), stack, setting)}\n`);
} catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
}
