import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartArchive, VendoredChart } from "../charts";
import { Cluster } from "../cluster/Cluster";
import { clusterAutoscalerPolicy } from "./autoscalerPolicy";

/** The vendored chart (charts/charts.lock.json); its default image is v1.35.0, replaced below. */
export const CLUSTER_AUTOSCALER_CHART: VendoredChart = { name: "cluster-autoscaler", version: "9.59.0" };

/**
 * The autoscaler simulates the scheduler of its own Kubernetes minor, so its image follows the
 * cluster's version rather than the chart's default. Upstream recommends the latest patch release of
 * the cluster's minor (kubernetes/autoscaler cluster-autoscaler/README.md, "Releases"); these are the
 * tags cluster-autoscaler-1.33.6, -1.34.5 and -1.35.2 (2026-07-22). Chart 9.59.0 lists 1.34.x as
 * supported from chart 9.51.0 and passes no flag a 1.33 or 1.34 autoscaler lacks.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
};

const NAMESPACE = "kube-system";
const SERVICE_ACCOUNT = "cluster-autoscaler";

/**
 * cluster-autoscaler: adds nodes when pods are pending for lack of room and removes idle ones,
 * within the node group's bounds, discovering the group by its tags.
 */
export interface ClusterAutoscalerArgs {
    readonly provider: k8s.Provider;
    readonly irsa: Pick<Cluster, "createIrsaRole">;
    /** Physical EKS cluster name; the node group's tags carry it. */
    readonly clusterName: string;
    /** Kubernetes minor of the cluster, e.g. "1.34"; selects the image. */
    readonly kubernetesVersion: string;
    /** Set explicitly: the nodes' IMDS hop limit of 1 keeps pods from discovering it. */
    readonly region: string;
    /** Ceiling on the cluster's node count: the node group's max. */
    readonly maxNodes: number;
}

export class ClusterAutoscaler extends pulumi.ComponentResource {
    public readonly releaseName: pulumi.Output<string>;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:addons:ClusterAutoscaler", name, {}, opts);

        const imageTag = CLUSTER_AUTOSCALER_IMAGE_TAGS[args.kubernetesVersion];
        if (imageTag === undefined) {
            throw new pulumi.ResourceError(
                `kubernetesVersion ${args.kubernetesVersion} has no cluster-autoscaler image; known: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}`,
                this,
            );
        }
        if (!(Number.isInteger(args.maxNodes) && args.maxNodes >= 1)) {
            throw new pulumi.ResourceError(`maxNodes must be a whole number of at least 1, got ${args.maxNodes}`, this);
        }

        const role = args.irsa.createIrsaRole(`${name}-irsa`, {
            namespace: NAMESPACE,
            serviceAccount: SERVICE_ACCOUNT,
            inlinePolicies: { autoscaling: JSON.stringify(clusterAutoscalerPolicy(args.clusterName, args.region)) },
        }, { parent: this });

        const release = new k8s.helm.v3.Release(`${name}-release`, {
            name: "cluster-autoscaler",
            chart: chartArchive(CLUSTER_AUTOSCALER_CHART),
            namespace: NAMESPACE,
            values: clusterAutoscalerValues(args, imageTag, role.arn),
        }, { parent: this, provider: args.provider });

        this.releaseName = release.name;
        this.registerOutputs({ releaseName: this.releaseName });
    }
}

/** Chart values (charts/cluster-autoscaler/values.yaml). */
export function clusterAutoscalerValues(
    args: Pick<ClusterAutoscalerArgs, "clusterName" | "region" | "maxNodes">,
    imageTag: string,
    roleArn: pulumi.Input<string>,
) {
    return {
        fullnameOverride: "cluster-autoscaler",
        cloudProvider: "aws",
        awsRegion: args.region,
        // Finds groups tagged k8s.io/cluster-autoscaler/enabled and k8s.io/cluster-autoscaler/<clusterName>.
        autoDiscovery: { clusterName: args.clusterName },
        image: { tag: imageTag },
        rbac: {
            serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": roleArn } },
        },
        extraArgs: {
            "balance-similar-node-groups": true,
            "max-nodes-total": args.maxNodes,
            expander: "least-waste",
            // App pods keep scratch in emptyDir; they must not pin a node that could be removed.
            "skip-nodes-with-local-storage": false,
        },
        priorityClassName: "system-cluster-critical",
        resources: { requests: { cpu: "100m", memory: "600Mi" }, limits: { memory: "600Mi" } },
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    };
}
