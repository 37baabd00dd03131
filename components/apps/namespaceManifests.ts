/**
 * Namespace guardrails as plain manifests: Pod Security Admission labels, quota, container
 * defaults, default-deny and DNS network policies. Shared by app namespaces and the monitoring one.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ContainerResources } from "./app";

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export const POD_SECURITY_LEVELS = ["restricted", "baseline", "privileged"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** Ceilings on the sum over all pods of a namespace. */
export interface NamespaceQuota {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
    readonly memoryLimitMiB: number;
    readonly pods: number;
    /** Services of type LoadBalancer; 0 keeps a namespace from opening a load balancer. @default 0 */
    readonly loadBalancers?: number;
}

/** Label every namespace carries (since Kubernetes 1.21); network policies select namespaces by it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export function namespaceManifest(name: string, podSecurity: PodSecurityLevel, labels: Readonly<Record<string, string>>): k8s.core.v1.NamespaceArgs {
    return {
        metadata: {
            name,
            labels: {
                ...labels,
                // enforce rejects violating pods; audit and warn make the same level visible in the
                // audit log and in kubectl output, so a chart upgrade that regresses shows up at once.
                "pod-security.kubernetes.io/enforce": podSecurity,
                "pod-security.kubernetes.io/audit": podSecurity,
                "pod-security.kubernetes.io/warn": podSecurity,
            },
        },
    };
}

export function resourceQuotaManifest(namespace: pulumi.Input<string>, name: string, quota: NamespaceQuota): k8s.core.v1.ResourceQuotaArgs {
    const loadBalancers = quota.loadBalancers ?? 0;
    return {
        metadata: { name, namespace },
        spec: {
            hard: {
                "requests.cpu": `${quota.cpuMillis}m`,
                "requests.memory": `${quota.memoryMiB}Mi`,
                "limits.memory": `${quota.memoryLimitMiB}Mi`,
                pods: String(quota.pods),
                "services.loadbalancers": String(loadBalancers),
                // A LoadBalancer Service allocates node ports too; nothing else may.
                "services.nodeports": String(loadBalancers),
            },
        },
    };
}

/**
 * Defaults for containers that declare no resources (the quota would otherwise reject them) and the
 * largest memory limit one container may ask for. No default CPU limit, on purpose: see ContainerResources.
 */
export function limitRangeManifest(
    namespace: pulumi.Input<string>,
    name: string,
    defaults: ContainerResources,
    maxContainerMemoryMiB: number,
): k8s.core.v1.LimitRangeArgs {
    return {
        metadata: { name, namespace },
        spec: {
            limits: [{
                type: "Container",
                defaultRequest: { cpu: `${defaults.cpuMillis}m`, memory: `${defaults.memoryMiB}Mi` },
                default: { memory: `${defaults.memoryLimitMiB}Mi` },
                max: { memory: `${maxContainerMemoryMiB}Mi` },
            }],
        },
    };
}

/** Every pod of the namespace: nothing in, nothing out, unless another policy allows it. */
export function defaultDenyPolicy(namespace: pulumi.Input<string>): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: "default-deny", namespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    };
}

/** Name lookups through CoreDNS in kube-system, the one egress every pod needs. */
export function allowDnsPolicy(namespace: pulumi.Input<string>): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: "allow-dns", namespace },
        spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{
                to: [{
                    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                }],
                ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
            }],
        },
    };
}
