import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ContainerResources, DNS_LABEL, RESERVED_NAMESPACES } from "./app";
import {
    allowDnsPolicy,
    defaultDenyPolicy,
    limitRangeManifest,
    namespaceManifest,
    NamespaceQuota,
    POD_SECURITY_LEVELS,
    PodSecurityLevel,
    resourceQuotaManifest,
} from "./namespaceManifests";

/**
 * A namespace with the platform's guardrails: Pod Security Admission labels (enforce, audit, warn),
 * a ResourceQuota, a LimitRange, and network policies that deny all traffic except DNS. Whatever
 * else the namespace's pods need is allowed by further policies of its owner.
 *
 * Used for every app namespace and, with `podSecurity: "privileged"`, for the monitoring one
 * (node-exporter needs the host network and PID namespace).
 */
export interface GuardedNamespaceArgs {
    readonly provider: k8s.Provider;
    /** The namespace's name, a DNS label; also the physical name. */
    readonly namespace: string;
    /** Pod Security Standards level enforced, audited and warned. @default "restricted" */
    readonly podSecurity?: PodSecurityLevel;
    /** Ceilings on the sum of all pods' requests and memory limits. */
    readonly quota: NamespaceQuota;
    /** Requests and memory limit given to containers that declare none. */
    readonly containerDefaults: ContainerResources;
    /** Largest memory limit one container may set. @default containerDefaults.memoryLimitMiB */
    readonly maxContainerMemoryMiB?: number;
    /** Extra namespace labels (PSA labels always win). @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

/** Namespaces an owner may reuse with a weaker Pod Security level; apps cannot. */
const SYSTEM_NAMESPACES: readonly string[] = RESERVED_NAMESPACES.filter((ns) => ns !== "monitoring");

export class GuardedNamespace extends pulumi.ComponentResource {
    /** The namespace's name once it exists: use it in children's metadata so they wait for it. */
    public readonly namespaceName: pulumi.Output<string>;

    constructor(name: string, args: GuardedNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:apps:GuardedNamespace", name, {}, opts);

        const podSecurity = args.podSecurity ?? "restricted";
        const maxContainerMemoryMiB = args.maxContainerMemoryMiB ?? args.containerDefaults.memoryLimitMiB;
        this.validate(args, podSecurity, maxContainerMemoryMiB);
        const child = { parent: this, provider: args.provider };

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, namespaceManifest(args.namespace, podSecurity, args.labels ?? {}), child);
        this.namespaceName = namespace.metadata.name;

        new k8s.core.v1.ResourceQuota(`${name}-quota`, resourceQuotaManifest(this.namespaceName, "compute", args.quota), child);
        new k8s.core.v1.LimitRange(`${name}-limits`, limitRangeManifest(this.namespaceName, "container-defaults", args.containerDefaults, maxContainerMemoryMiB), child);
        new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, defaultDenyPolicy(this.namespaceName), child);
        new k8s.networking.v1.NetworkPolicy(`${name}-allow-dns`, allowDnsPolicy(this.namespaceName), child);

        this.registerOutputs({ namespaceName: this.namespaceName });
    }

    private validate(args: GuardedNamespaceArgs, podSecurity: string, maxContainerMemoryMiB: number): void {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(message, this);
        };
        if (!DNS_LABEL.test(args.namespace) || args.namespace.length > 63) {
            fail(`namespace must be a DNS label (lowercase letters, digits, dashes), got "${args.namespace}"`);
        }
        if (SYSTEM_NAMESPACES.includes(args.namespace)) {
            fail(`namespace "${args.namespace}" belongs to Kubernetes; use a namespace of your own`);
        }
        if (!(POD_SECURITY_LEVELS as readonly string[]).includes(podSecurity)) {
            fail(`podSecurity must be one of ${POD_SECURITY_LEVELS.join(", ")}, got "${podSecurity}"`);
        }
        const { cpuMillis, memoryMiB, memoryLimitMiB } = args.containerDefaults;
        if (!(cpuMillis > 0 && memoryMiB > 0 && memoryLimitMiB >= memoryMiB)) {
            fail(`containerDefaults need cpuMillis > 0 and 0 < memoryMiB <= memoryLimitMiB, got ${cpuMillis}, ${memoryMiB}, ${memoryLimitMiB}`);
        }
        if (maxContainerMemoryMiB < memoryLimitMiB) {
            fail(`maxContainerMemoryMiB (${maxContainerMemoryMiB}) must be at least containerDefaults.memoryLimitMiB (${memoryLimitMiB})`);
        }
        if (!(args.quota.pods >= 1 && args.quota.memoryLimitMiB >= args.quota.memoryMiB)) {
            fail(`quota needs pods >= 1 and memoryLimitMiB >= memoryMiB, got pods ${args.quota.pods}, ${args.quota.memoryMiB}Mi, ${args.quota.memoryLimitMiB}Mi`);
        }
    }
}
