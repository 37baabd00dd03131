/**
 * Prints the IAM role a workflow assumes for a stack, read from the stack file
 * (`iot-platform:cluster.access.deployRoleArn` / `previewRoleArn`), so the identity a job runs as is
 * always the one the cluster grants access to.
 * Usage: node -r ./tools/register.js scripts/stack-role.ts <stack> deploy|preview
 * Exit codes: 0 printed, 2 unknown stack, bad config or the role is not set.
 */
import * as path from "path";
import { parsePlatformConfig, PROJECT } from "../stacks/config";
import { readStackFile, stackFilePath } from "../tools/stackFile";

const ROLES = { deploy: "deployRoleArn", preview: "previewRoleArn" } as const;

function main(): void {
    const [stack, role] = process.argv.slice(2);
    if (!stack || !(role === "deploy" || role === "preview")) {
        throw new Error("usage: stack-role.ts <stack> deploy|preview");
    }
    const { config } = readStackFile(stackFilePath(path.resolve(__dirname, ".."), stack));
    const key = ROLES[role];
    const arn = parsePlatformConfig(config).cluster.access[key];
    if (!arn) {
        throw new Error(`${PROJECT}:cluster.access.${key} is not set in Pulumi.${stack}.yaml; the ${role} jobs assume that role`);
    }
    process.stdout.write(`${arn}\n`);
}

try {
    main();
} catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
}
