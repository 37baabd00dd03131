/**
 * Does the catalog's worst case fit the node group? Plain functions over the instance catalogue
 * (policy/instances.ts), the same table the policy pack prices nodes from.
 *
 *   allocatable per node = capacity − kube-reserved − system-reserved − eviction threshold − DaemonSets
 *   app room             = max nodes × allocatable per node − cluster services
 *   pod slots for apps   = max nodes × (max pods − DaemonSet pods) − cluster-service pods
 *   worst case           = Σ over apps of max replicas × requests, and Σ max replicas pods   (each ≤ its room)
 *
 * Requests, not limits: the scheduler places pods by requests, so that is what must fit. Pods: the
 * kubelet admits at most max pods per node (the VPC CNI's IP limit), whatever CPU and memory are left.
 */
import { EVICTION_MEMORY_MIB, InstanceTypeEntry, kubeReserved, maxPods, Resources } from "../../policy/instances";

/** A node's shape: a type of the instance catalogue, which the pack prices from. */
export type InstanceShape = InstanceTypeEntry;

/** The kernel and firmware keep part of nominal memory; the kubelet's capacity is roughly 94% of it. */
export const KERNEL_VISIBLE_MEMORY_FRACTION = 0.94;
/** The EKS AMIs set no system-reserved, but systemd, journald and sshd use this much anyway. */
export const SYSTEM_RESERVED: Resources = { cpuMillis: 100, memoryMiB: 100 };
/**
 * Per-node DaemonSets: aws-node with the network policy agent, kube-proxy (100m), ebs-csi-node,
 * and the monitoring stack's node-exporter, rounded up.
 */
export const DAEMONSET_RESERVE: Resources = { cpuMillis: 300, memoryMiB: 512 };
/** The same DaemonSets as pods: aws-node, kube-proxy, ebs-csi-node, node-exporter, one each per node. */
export const DAEMONSET_PODS_PER_NODE = 4;
/**
 * Requests of the cluster singletons outside the catalog, summed from what they actually ask for:
 *   CoreDNS add-on 2 × 100m/70Mi, EBS CSI controller 2 × 6 containers × 10m/40Mi,
 *   metrics-server 2 × 100m/200Mi, cluster-autoscaler 100m/600Mi,
 *   Prometheus 500m/2Gi + config reloader 10m/32Mi, Alertmanager 2 × (50m/128Mi + reloader 10m/32Mi),
 *   Grafana 100m/256Mi + two sidecars (dashboards, datasources) 2 × 50m/96Mi, operator 100m/128Mi,
 *   kube-state-metrics 50m/128Mi, blackbox exporter 2 × 25m/32Mi, data-path canary run 50m/128Mi.
 * Two Alertmanager replicas, the default; each further one adds 60m/160Mi.
 */
export const CLUSTER_SERVICES_RESERVE: Resources = { cpuMillis: 1700, memoryMiB: 4916 };
/**
 * The same singletons as pods: CoreDNS 2, EBS CSI controller 2, metrics-server 2, cluster-autoscaler 1,
 * Prometheus 1, Alertmanager 2, Grafana 1, operator 1, kube-state-metrics 1, blackbox exporter 2,
 * data-path canary 1.
 */
export const CLUSTER_SERVICES_PODS = 16;

/** What one node offers to pods other than DaemonSets. */
export function allocatablePerNode(shape: InstanceShape): Resources {
    const reserved = kubeReserved(shape);
    return {
        cpuMillis: Math.floor(shape.vcpu * 1000 - reserved.cpuMillis - SYSTEM_RESERVED.cpuMillis - DAEMONSET_RESERVE.cpuMillis),
        memoryMiB: Math.floor(
            shape.memoryMiB * KERNEL_VISIBLE_MEMORY_FRACTION - reserved.memoryMiB - SYSTEM_RESERVED.memoryMiB - EVICTION_MEMORY_MIB - DAEMONSET_RESERVE.memoryMiB,
        ),
    };
}

/** Pods one node admits besides its DaemonSets. */
export function podSlotsPerNode(shape: InstanceShape): number {
    return maxPods(shape) - DAEMONSET_PODS_PER_NODE;
}

export interface Room extends Resources {
    readonly pods: number;
}

/** Room the catalog has on `maxNodes` nodes of `shape`, after the cluster services. */
export function appRoom(shape: InstanceShape, maxNodes: number): Room {
    const node = allocatablePerNode(shape);
    return {
        cpuMillis: node.cpuMillis * maxNodes - CLUSTER_SERVICES_RESERVE.cpuMillis,
        memoryMiB: node.memoryMiB * maxNodes - CLUSTER_SERVICES_RESERVE.memoryMiB,
        pods: podSlotsPerNode(shape) * maxNodes - CLUSTER_SERVICES_PODS,
    };
}

export interface CapacityDemand {
    readonly name: string;
    readonly maxReplicas: number;
    readonly requests: Resources;
}

export interface CapacityOverflow {
    /** Index of the app whose addition first exceeds the room. */
    readonly index: number;
    readonly app: string;
    readonly resource: "cpu" | "memory" | "pods";
    /** Worst case including that app. */
    readonly needed: number;
    readonly room: number;
    readonly unit: "m" | "Mi" | " pods";
}

export interface CapacityFit {
    readonly needed: Room;
    readonly room: Room;
    /** Undefined when the catalog fits. */
    readonly overflow?: CapacityOverflow;
}

/** Adds apps in catalog order and names the first one that no longer fits. */
export function fitCatalog(apps: readonly CapacityDemand[], shape: InstanceShape, maxNodes: number): CapacityFit {
    const room = appRoom(shape, maxNodes);
    let cpu = 0;
    let memory = 0;
    let pods = 0;
    let overflow: CapacityOverflow | undefined;
    apps.forEach((app, index) => {
        cpu += app.maxReplicas * app.requests.cpuMillis;
        memory += app.maxReplicas * app.requests.memoryMiB;
        pods += app.maxReplicas;
        if (overflow !== undefined) {
            return;
        }
        if (cpu > room.cpuMillis) {
            overflow = { index, app: app.name, resource: "cpu", needed: cpu, room: room.cpuMillis, unit: "m" };
        } else if (memory > room.memoryMiB) {
            overflow = { index, app: app.name, resource: "memory", needed: memory, room: room.memoryMiB, unit: "Mi" };
        } else if (pods > room.pods) {
            overflow = { index, app: app.name, resource: "pods", needed: pods, room: room.pods, unit: " pods" };
        }
    });
    return { needed: { cpuMillis: cpu, memoryMiB: memory, pods }, room, overflow };
}
