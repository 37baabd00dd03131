/**
 * Guardrails of the monitoring namespace beyond the common ones (GuardedNamespace): its quota,
 * sized from what the chart runs, and the traffic the stack needs through the default-deny policy.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ContainerResources } from "../apps/app";
import type { NamespaceQuota } from "../apps/namespaceManifests";
import { RESOURCES } from "./values";

/** Room for a rolling update of everything at once: new pods start before old ones stop. */
export const ROLLOUT_FACTOR = 2;

/** For containers the chart starts without resources of their own (e.g. a future sidecar). */
export const MONITORING_CONTAINER_DEFAULTS: ContainerResources = { cpuMillis: 50, memoryMiB: 64, memoryLimitMiB: 128 };

export interface QuotaInputs {
    readonly alertmanagerReplicas: number;
    /** node-exporter runs one pod per node. */
    readonly maxNodes: number;
}

function cpuMillis(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

function mebibytes(quantity: string): number {
    const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
    if (!match) {
        throw new Error(`unsupported memory quantity "${quantity}"`);
    }
    return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

/**
 * The sum over the chart's pods of RESOURCES, times ROLLOUT_FACTOR. Each Prometheus and
 * Alertmanager pod carries a config-reloader; Grafana carries two sidecars (dashboards, datasources).
 */
export function monitoringQuota(q: QuotaInputs): NamespaceQuota {
    const pods: [keyof typeof RESOURCES, number][] = [
        ["prometheus", 1],
        ["alertmanager", q.alertmanagerReplicas],
        ["configReloader", 1 + q.alertmanagerReplicas],
        ["grafana", 1],
        ["grafanaSidecar", 2],
        ["operator", 1],
        ["kubeStateMetrics", 1],
        ["nodeExporter", q.maxNodes],
        ["webhookPatch", 1],
    ];
    const sum = (f: (r: (typeof RESOURCES)[string]) => number) => pods.reduce((total, [name, count]) => total + f(RESOURCES[name]) * count, 0);
    const podCount = 1 + q.alertmanagerReplicas + 1 + 1 + 1 + q.maxNodes + 1;
    return {
        cpuMillis: sum((r) => cpuMillis(r.requests.cpu)) * ROLLOUT_FACTOR,
        memoryMiB: sum((r) => mebibytes(r.requests.memory)) * ROLLOUT_FACTOR,
        memoryLimitMiB: sum((r) => mebibytes(r.memoryLimit)) * ROLLOUT_FACTOR,
        pods: podCount * ROLLOUT_FACTOR,
    };
}

/** The largest memory limit in RESOURCES (Prometheus); the LimitRange must admit it. */
export function largestMemoryLimitMiB(): number {
    return Math.max(...Object.values(RESOURCES).map((r) => mebibytes(r.memoryLimit)));
}

/**
 * Traffic the stack needs on top of DNS:
 * - its pods talk to each other (Grafana → Prometheus → Alertmanager, Prometheus scraping them all);
 * - Prometheus scrapes every namespace and every node (kubelet, node-exporter), so it may reach anything;
 * - HTTPS out for everyone: the Kubernetes API (operator, kube-state-metrics, Grafana's sidecars)
 *   and Slack/PagerDuty (Alertmanager);
 * - the API server calls the operator's admission webhook on 10250.
 */
export function monitoringNetworkPolicies(namespace: pulumi.Input<string>): Record<string, k8s.networking.v1.NetworkPolicyArgs> {
    return {
        "allow-same-namespace": {
            metadata: { name: "allow-same-namespace", namespace },
            spec: {
                podSelector: {},
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [{ podSelector: {} }] }],
                egress: [{ to: [{ podSelector: {} }] }],
            },
        },
        "allow-prometheus-scrape": {
            metadata: { name: "allow-prometheus-scrape", namespace },
            spec: {
                podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
                policyTypes: ["Egress"],
                egress: [{}],
            },
        },
        "allow-https-egress": {
            metadata: { name: "allow-https-egress", namespace },
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ ports: [{ protocol: "TCP", port: 443 }] }],
            },
        },
        "allow-admission-webhook": {
            metadata: { name: "allow-admission-webhook", namespace },
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{ ports: [{ protocol: "TCP", port: 10250 }] }],
            },
        },
    };
}
