/**
 * One setting of a stack that a workflow needs, read from the stack file through the config loader,
 * so the workflows and the program never disagree.
 */
import { parsePlatformConfig, PlatformConfig, PROJECT } from "../stacks/config";
import { resourcePrefix } from "../stacks/platform";
import { readStackFile, stackFilePath } from "./stackFile";

const SETTINGS: Readonly<Record<string, (config: PlatformConfig) => [key: string, value: string | undefined]>> = {
    /** The role the deploy jobs assume; the cluster grants it cluster-admin. */
    "deploy-role": (c) => [`${PROJECT}:cluster.access.deployRoleArn`, c.cluster.access.deployRoleArn],
    /** The role the preview jobs assume; the cluster grants it read-only access. */
    "preview-role": (c) => [`${PROJECT}:cluster.access.previewRoleArn`, c.cluster.access.previewRoleArn],
    // The platform names the cluster after its resource prefix (stacks/platform.ts).
    "cluster-name": (c) => [`${PROJECT}:environment`, resourcePrefix(c)],
    region: (c) => ["aws:region", c.region],
};

export const STACK_SETTINGS = Object.keys(SETTINGS);

export class StackSettingError extends Error {}

export function stackSetting(projectDir: string, stack: string, setting: string): string {
    const read = SETTINGS[setting];
    if (!read) {
        throw new StackSettingError(`unknown setting "${setting}"; one of ${STACK_SETTINGS.join(", ")}`);
    }
    const { config, secretKeys } = readStackFile(stackFilePath(projectDir, stack));
    // Zones are the program's to check against the account; a workflow step has no need of them.
    const [key, value] = read(parsePlatformConfig(config, { isSecret: (k) => secretKeys.includes(k), zones: undefined, today: new Date() }));
    if (!value) {
        throw new StackSettingError(`${key} is not set in Pulumi.${stack}.yaml`);
    }
    return value;
}
