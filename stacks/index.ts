/** Entry point of `pulumi up`: validate all config first, then build. */
import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig } from "./config";
import { createPlatform, platformOutputs } from "./platform";

const config = parsePlatformConfig(pulumi.runtime.allConfig());
config.warnings.forEach((warning) => pulumi.log.warn(warning));
const outputs = platformOutputs(createPlatform(config));

export const vpcId = outputs.vpcId;
export const clusterName = outputs.clusterName;
export const kubeconfig = outputs.kubeconfig;
export const nodeGroup = outputs.nodeGroup;
export const streamName = outputs.streamName;
export const streamArn = outputs.streamArn;
export const shardCount = outputs.shardCount;
export const bucketName = outputs.bucketName;
export const monitoringNamespace = outputs.monitoringNamespace;
export const grafanaAdminPassword = outputs.grafanaAdminPassword;
export const alarmTopicArn = outputs.alarmTopicArn;
export const appNamespaces = outputs.appNamespaces;
