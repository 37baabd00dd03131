// Every policy of the pack, built from the domain factories. Shared by index.ts and the config checks.
import { Policies } from "@pulumi/policy";
import { nodeCapacityPolicy } from "./capacity";
import { monthlyBudgetPolicy } from "./cost";
import { addonsNeedNodesPolicy } from "./deploy";
import {
    grafanaPasswordPolicy, imagePinnedPolicy, podSecurityRestrictedPolicy, readOnlyRootFilesystemPolicy,
    topologySpreadPolicy, workloadNamespacePolicy, workloadProbesPolicy, workloadResourcesPolicy,
} from "./kubernetes";
import { firehoseBaselinePolicy, kinesisStreamBaselinePolicy, kmsKeyRotationPolicy } from "./security/data";
import { eksClusterBaselinePolicy, eksNodeGroupBaselinePolicy, launchTemplateImdsPolicy } from "./security/eks";
import { irsaTrustPolicy } from "./security/iam";
import { securityGroupPublicIngressPolicy } from "./security/network";
import { s3AccessLoggingPolicy, s3BucketBaselinePolicy } from "./security/s3";
import { environmentTagPolicy } from "./tags";

export const POLICY_PACK_NAME = "iot-platform-policy";

export function createPolicies(): Policies {
    return [
        environmentTagPolicy(),
        monthlyBudgetPolicy(),
        nodeCapacityPolicy(),
        eksClusterBaselinePolicy(),
        eksNodeGroupBaselinePolicy(),
        addonsNeedNodesPolicy(),
        launchTemplateImdsPolicy(),
        kmsKeyRotationPolicy(),
        securityGroupPublicIngressPolicy(),
        kinesisStreamBaselinePolicy(),
        firehoseBaselinePolicy(),
        s3BucketBaselinePolicy(),
        s3AccessLoggingPolicy(),
        irsaTrustPolicy(),
        podSecurityRestrictedPolicy(),
        workloadResourcesPolicy(),
        workloadProbesPolicy(),
        imagePinnedPolicy(),
        workloadNamespacePolicy(),
        readOnlyRootFilesystemPolicy(),
        topologySpreadPolicy(),
        grafanaPasswordPolicy(),
    ];
}
