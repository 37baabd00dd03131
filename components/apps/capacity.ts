/**
 * Does the catalog's worst case fit the node group? Plain functions over a small instance table.
 *
 *   allocatable per node = capacity − kube-reserved − system-reserved − eviction threshold − DaemonSets
 *   app room             = max nodes × allocatable per node − cluster services
 *   worst case           = Σ over apps of max replicas × requests        (must be ≤ app room)
 *
 * Requests, not limits: the scheduler places pods by requests, so that is what must fit.
 */

export interface InstanceShape {
    readonly vcpu: number;
    /** Nominal memory (MiB) as EC2 sells it. */
    readonly memoryMiB: number;
    /** VPC CNI pod limit without prefix delegation: ENIs × (IPs per ENI − 1) + 2 (eni-max-pods.txt). */
    readonly maxPods: number;
}

/** The instance types a node group may use; a type missing here fails config validation. */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceShape>> = {
    "t3.large": { vcpu: 2, memoryMiB: 8192, maxPods: 35 },
    "t3.xlarge": { vcpu: 4, memoryMiB: 16384, maxPods: 58 },
    "m6i.large": { vcpu: 2, memoryMiB: 8192, maxPods: 29 },
    "m6i.xlarge": { vcpu: 4, memoryMiB: 16384, maxPods: 58 },
    "m6i.2xlarge": { vcpu: 8, memoryMiB: 32768, maxPods: 58 },
    "m7i.large": { vcpu: 2, memoryMiB: 8192, maxPods: 29 },
    "m7i.xlarge": { vcpu: 4, memoryMiB: 16384, maxPods: 58 },
    "r6i.large": { vcpu: 2, memoryMiB: 16384, maxPods: 29 },
    "r6i.xlarge": { vcpu: 4, memoryMiB: 32768, maxPods: 58 },
};

export interface Resources {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
}

/** The kernel and firmware keep part of nominal memory; the kubelet's capacity is roughly 94% of it. */
export const KERNEL_VISIBLE_MEMORY_FRACTION = 0.94;
/** kubelet `evictionHard: memory.available<100Mi` on the EKS AMIs. */
export const EVICTION_MEMORY_MIB = 100;
/** The EKS AMIs set no system-reserved, but systemd, journald and sshd use this much anyway. */
export const SYSTEM_RESERVED: Resources = { cpuMillis: 100, memoryMiB: 100 };
/**
 * Per-node DaemonSets: aws-node with the network policy agent, kube-proxy (100m), ebs-csi-node,
 * and the monitoring stack's node-exporter, rounded up.
 */
export const DAEMONSET_RESERVE: Resources = { cpuMillis: 300, memoryMiB: 512 };
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
 * kube-reserved as the EKS AMIs compute it (amazon-eks-ami): CPU 6% of the first core, 1% of the
 * second, 0.5% of the third and fourth, 0.25% of the rest; memory 11 MiB per pod + 255 MiB.
 */
export function kubeReserved(shape: InstanceShape): Resources {
    const cores = shape.vcpu;
    const cpuMillis = 60 + (cores > 1 ? 10 : 0) + Math.min(Math.max(cores - 2, 0), 2) * 5 + Math.max(cores - 4, 0) * 2.5;
    return { cpuMillis, memoryMiB: 11 * shape.maxPods + 255 };
}

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

/** Room the catalog has on `maxNodes` nodes of `shape`, after the cluster services. */
export function appRoom(shape: InstanceShape, maxNodes: number): Resources {
    const node = allocatablePerNode(shape);
    return {
        cpuMillis: node.cpuMillis * maxNodes - CLUSTER_SERVICES_RESERVE.cpuMillis,
        memoryMiB: node.memoryMiB * maxNodes - CLUSTER_SERVICES_RESERVE.memoryMiB,
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
    readonly resource: "cpu" | "memory";
    /** Worst case including that app. */
    readonly needed: number;
    readonly room: number;
    readonly unit: "m" | "Mi";
}

export interface CapacityFit {
    readonly needed: Resources;
    readonly room: Resources;
    /** Undefined when the catalog fits. */
    readonly overflow?: CapacityOverflow;
}

/** Adds apps in catalog order and names the first one that no longer fits. */
export function fitCatalog(apps: readonly CapacityDemand[], shape: InstanceShape, maxNodes: number): CapacityFit {
    const room = appRoom(shape, maxNodes);
    let cpu = 0;
    let memory = 0;
    let overflow: CapacityOverflow | undefined;
    apps.forEach((app, index) => {
        cpu += app.maxReplicas * app.requests.cpuMillis;
        memory += app.maxReplicas * app.requests.memoryMiB;
        if (overflow === undefined && cpu > room.cpuMillis) {
            overflow = { index, app: app.name, resource: "cpu", needed: cpu, room: room.cpuMillis, unit: "m" };
        } else if (overflow === undefined && memory > room.memoryMiB) {
            overflow = { index, app: app.name, resource: "memory", needed: memory, room: room.memoryMiB, unit: "Mi" };
        }
    });
    return { needed: { cpuMillis: cpu, memoryMiB: memory }, room, overflow };
}
