/** The cluster autoscaler's IAM document, as a plain function. */
import { PolicyDocument } from "../data/policies";

/** Tag EKS puts on a managed node group's Auto Scaling group; its value is "owned". */
export function ownershipTag(clusterName: string): string {
    return `k8s.io/cluster-autoscaler/${clusterName}`;
}

/**
 * Least privilege for cluster-autoscaler on AWS
 * (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#iam-policy):
 * it may resize and terminate instances only in groups tagged as owned by this cluster; Describe
 * calls do not support resource-level permissions, so they get `*`.
 */
export function clusterAutoscalerPolicy(clusterName: string, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ScaleThisClustersGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/${ownershipTag(clusterName)}`]: "owned" } },
            },
            {
                Sid: "DiscoverGroupsAndInstanceTypes",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                // Node group labels and taints for scale-from-zero templates; only this cluster's groups.
                Sid: "DescribeThisClustersNodegroups",
                Effect: "Allow",
                Action: ["eks:DescribeNodegroup"],
                Resource: [`arn:aws:eks:${region}:*:nodegroup/${clusterName}/*/*`],
            },
        ],
    };
}
