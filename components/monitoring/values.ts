/**
 * Values for the kube-prometheus-stack chart. Pure, so tests read exactly what Helm receives.
 * Keys follow the chart's values.yaml at the vendored version (CHART in Monitoring.ts);
 * `npm run test:charts` renders the archive with them and fails on a path the chart ignores.
 */

export interface ResourceRequests {
    readonly cpu: string;
    readonly memory: string;
}

export interface StackValuesOptions {
    /** Helm release name; the chart labels its own monitors `release: <name>`. */
    readonly releaseName: string;
    readonly prometheus: { readonly retention: string; readonly storageGb: number };
    readonly alertmanager: { readonly replicas: number; readonly storageGb: number; readonly config: Record<string, unknown> };
    /** Secrets mounted into Alertmanager at /etc/alertmanager/secrets/<name>/ (receiver credentials). */
    readonly alertmanagerSecrets: readonly string[];
    /** Secret with keys `admin-user` and `admin-password`; the chart's default password is never used. */
    readonly grafanaAdminSecret: string;
    readonly storageClass: string;
    /** App namespaces: the chart's per-namespace app rules skip them, the platform's own rules cover them. */
    readonly appNamespaces: readonly string[];
}

/** Requests sized for a small cluster (tens of nodes, a few thousand series per node); limits only on memory, so CPU bursts are not throttled. */
export const RESOURCES: Readonly<Record<string, { requests: ResourceRequests; memoryLimit: string }>> = {
    prometheus: { requests: { cpu: "500m", memory: "2Gi" }, memoryLimit: "4Gi" },
    alertmanager: { requests: { cpu: "50m", memory: "128Mi" }, memoryLimit: "256Mi" },
    grafana: { requests: { cpu: "100m", memory: "256Mi" }, memoryLimit: "512Mi" },
    grafanaSidecar: { requests: { cpu: "50m", memory: "96Mi" }, memoryLimit: "192Mi" },
    operator: { requests: { cpu: "100m", memory: "128Mi" }, memoryLimit: "256Mi" },
    configReloader: { requests: { cpu: "10m", memory: "32Mi" }, memoryLimit: "64Mi" },
    webhookPatch: { requests: { cpu: "10m", memory: "32Mi" }, memoryLimit: "64Mi" },
    kubeStateMetrics: { requests: { cpu: "50m", memory: "128Mi" }, memoryLimit: "256Mi" },
    nodeExporter: { requests: { cpu: "50m", memory: "32Mi" }, memoryLimit: "64Mi" },
};

/** Fraction of the volume Prometheus may fill before it drops old blocks, whatever the retention says. */
export const RETENTION_SIZE_FRACTION = 0.85;

function resources(component: keyof typeof RESOURCES) {
    const r = RESOURCES[component];
    return { requests: { ...r.requests }, limits: { memory: r.memoryLimit } };
}

function volumeClaim(storageClass: string, sizeGb: number) {
    return {
        volumeClaimTemplate: {
            spec: {
                storageClassName: storageClass,
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: `${sizeGb}Gi` } },
            },
        },
    };
}

/** Prometheus deletes the oldest blocks past this size, so a full disk never stops ingestion. */
export function retentionSize(storageGb: number): string {
    return `${Math.floor(storageGb * RETENTION_SIZE_FRACTION)}GB`;
}

export function kubePrometheusStackValues(o: StackValuesOptions): Record<string, unknown> {
    // Monitors, pod monitors, probes and rules are selected by the release label in every namespace, so
    // the applications' ServiceMonitors (labelled `release: <releaseName>`) and this program's
    // PrometheusRules are picked up wherever they live.
    const byRelease = { matchLabels: { release: o.releaseName } };
    return {
        // EKS runs the control plane out of reach: these targets would be down forever and their
        // alerts (KubeControllerManagerDown, KubeSchedulerDown, etcd*) would never resolve.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        // The EKS kube-proxy add-on serves its metrics on 127.0.0.1:10249 only (metricsBindAddress in
        // the kube-proxy-config ConfigMap), so Prometheus could never reach it: the target would be
        // down forever and KubeProxyDown (critical) would page every hour.
        kubeProxy: { enabled: false },
        defaultRules: {
            rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
            appNamespacesOperator: "!~",
            appNamespacesTarget: o.appNamespaces.join("|"),
        },
        prometheus: {
            prometheusSpec: {
                retention: o.prometheus.retention,
                retentionSize: retentionSize(o.prometheus.storageGb),
                storageSpec: volumeClaim(o.storageClass, o.prometheus.storageGb),
                resources: resources("prometheus"),
                serviceMonitorSelectorNilUsesHelmValues: false,
                serviceMonitorSelector: byRelease,
                serviceMonitorNamespaceSelector: {},
                podMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelector: byRelease,
                podMonitorNamespaceSelector: {},
                // The blackbox exporter's Probe objects (one per app and check), in the probes namespace.
                probeSelectorNilUsesHelmValues: false,
                probeSelector: byRelease,
                probeNamespaceSelector: {},
                ruleSelectorNilUsesHelmValues: false,
                ruleSelector: byRelease,
                ruleNamespaceSelector: {},
            },
        },
        alertmanager: {
            config: o.alertmanager.config,
            alertmanagerSpec: {
                replicas: o.alertmanager.replicas,
                storage: volumeClaim(o.storageClass, o.alertmanager.storageGb),
                secrets: [...o.alertmanagerSecrets],
                resources: resources("alertmanager"),
            },
            // Keeps a quorum of replicas through node drains once there is more than one.
            podDisruptionBudget: { enabled: o.alertmanager.replicas > 1, minAvailable: 1 },
        },
        grafana: {
            admin: { existingSecret: o.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
            resources: resources("grafana"),
            sidecar: {
                resources: resources("grafanaSidecar"),
                // Dashboards are ConfigMaps labelled grafana_dashboard: "1" in any namespace.
                dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
            },
        },
        prometheusOperator: {
            resources: resources("operator"),
            prometheusConfigReloader: { resources: resources("configReloader") },
            admissionWebhooks: { patch: { resources: resources("webhookPatch") } },
        },
        "kube-state-metrics": { resources: resources("kubeStateMetrics") },
        "prometheus-node-exporter": { resources: resources("nodeExporter") },
    };
}
