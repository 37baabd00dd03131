/**
 * Prints one setting of a stack that a workflow needs, read from the stack file through the config
 * loader, so the workflows and the program never disagree:
 *   deploy-role / preview-role  the IAM role a job assumes (`iot-platform:cluster.access.*RoleArn`),
 *                               the one the cluster grants access to
 *   cluster-name / region       where the stack's EKS cluster lives
 * Usage: node -r ./tools/register.js scripts/stack-setting.ts <stack> <setting>
 * Exit codes: 0 printed, 2 unknown stack or setting, bad config, or the setting is not set.
 */
import * as path from "path";
import { parsePlatformConfig, PlatformConfig, PROJECT } from "../stacks/config";
import { resourcePrefix } from "../stacks/platform";
import { readStackFile, stackFilePath } from "../tools/stackFile";

const SETTINGS: Readonly<Record<string, (config: PlatformConfig) => [key: string, value: string | undefined]>> = {
    "deploy-role": (c) => [`${PROJECT}:cluster.access.deployRoleArn`, c.cluster.access.deployRoleArn],
    "preview-role": (c) => [`${PROJECT}:cluster.access.previewRoleArn`, c.cluster.access.previewRoleArn],
    // The platform names the cluster after its resource prefix (stacks/platform.ts).
    "cluster-name": (c) => [`${PROJECT}:environment`, resourcePrefix(c)],
    region: (c) => ["aws:region", c.region],
};

function main(): void {
    const [stack, setting] = process.argv.slice(2);
    const read = SETTINGS[setting ?? ""];
    if (!stack || !read) {
        throw new Error(`usage: stack-setting.ts <stack> ${Object.keys(SETTINGS).join("|")}`);
    }
    const { config } = readStackFile(stackFilePath(path.resolve(__dirname, ".."), stack));
    const [key, value] = read(parsePlatformConfig(config));
    if (!value) {
        throw new Error(`${key} is not set in Pulumi.${stack}.yaml`);
    }
    process.stdout.write(`${value}\n`);
}

try {
    main();
} catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
}
