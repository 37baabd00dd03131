/**
 * Entry point of `pulumi up`: validate all config first (including the account's zones, which takes
 * a data-source call), then build. The CLI calls an exported function and awaits it; its result
 * becomes the stack outputs (@pulumi/pulumi 3.241.0, cmd/run/run.js).
 */
import * as pulumi from "@pulumi/pulumi";
import { loadPlatformConfig } from "./config";
import { createPlatform, platformOutputs } from "./platform";

export = async () => {
    const config = await loadPlatformConfig(pulumi.runtime.allConfig());
    config.warnings.forEach((warning) => pulumi.log.warn(warning));
    return platformOutputs(createPlatform(config));
};
