import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../components/cluster/Cluster";
import { DataPipeline } from "../components/data/DataPipeline";
import { Network } from "../components/network/Network";
import { PlatformConfig } from "./config";

/** Physical names start with project and environment so two stacks never collide in one account. */
export function resourcePrefix(config: Pick<PlatformConfig, "project" | "environment">): string {
    return `${config.project}-${config.environment}`;
}

export interface Platform {
    readonly network: Network;
    readonly cluster: Cluster;
    readonly data: DataPipeline;
}

/** Composes the platform in deploy order: network, cluster, data path. */
export function createPlatform(config: PlatformConfig): Platform {
    const prefix = resourcePrefix(config);
    const clusterName = prefix;

    const network = new Network(`${prefix}-network`, {
        cidr: config.network.cidr,
        region: config.region,
        availabilityZones: config.network.availabilityZones,
        natGateways: config.network.natGateways,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        clusterName,
        tags: config.tags,
    });

    const cluster = new Cluster(`${prefix}-cluster`, {
        clusterName,
        kubernetesVersion: config.cluster.kubernetesVersion,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        serviceCidr: config.cluster.serviceCidr,
        nodes: config.cluster.nodes,
        tags: config.tags,
    });

    const data = new DataPipeline(`${prefix}-data`, {
        ingest: config.data.ingest,
        streamMode: config.data.stream.mode,
        headroomFactor: config.data.stream.headroomFactor,
        retentionHours: config.data.stream.retentionHours,
        lifecycle: config.data.lake,
        bufferingIntervalSeconds: config.data.delivery.bufferingIntervalSeconds,
        bufferingSizeMb: config.data.delivery.bufferingSizeMb,
        logRetentionDays: config.data.delivery.logRetentionDays,
        tags: config.tags,
    });

    return { network, cluster, data };
}

/** What `pulumi stack output` shows. */
export function platformOutputs(platform: Platform) {
    const { network, cluster, data } = platform;
    return {
        vpcId: network.vpcId,
        clusterName: cluster.clusterName,
        kubeconfig: pulumi.secret(cluster.kubeconfig),
        nodeGroup: cluster.nodes,
        streamName: data.streamName,
        streamArn: data.streamArn,
        shardCount: data.shardCount ?? "on-demand",
        bucketName: data.bucketName,
    };
}
