import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GuardedNamespace } from "../apps/GuardedNamespace";
import { chartArchive, VendoredChart } from "../charts";
import { alertmanagerConfig, RECEIVER_SECRET_KEYS } from "./alertmanagerConfig";
import { platformDashboards } from "./dashboards";
import { asResourceError } from "./errors";
import { largestMemoryLimitMiB, MONITORING_CONTAINER_DEFAULTS, monitoringNetworkPolicies, monitoringQuota } from "./namespace";
import { CanaryWatch, platformRules } from "./rules";
import { kubePrometheusStackValues } from "./values";

/** The vendored chart (charts/charts.lock.json): grafana 12.11.1, kube-state-metrics 8.4.0 and prometheus-node-exporter 4.56.1 inside. */
export const CHART: VendoredChart = { name: "kube-prometheus-stack", version: "88.5.3" };

/**
 * The Helm release name. Fixed, not auto-named: the chart labels everything it selects
 * `release: <name>`, and the apps' ServiceMonitors carry `release: kube-prometheus-stack`.
 */
export const RELEASE_NAME = "kube-prometheus-stack";

/** Receiver credentials, plaintext or secret Outputs; each one missing turns its integration off. */
export interface AlertReceivers {
    readonly slackWebhookUrl?: pulumi.Input<string>;
    readonly pagerdutyRoutingKey?: pulumi.Input<string>;
}

/** Prometheus, Alertmanager and Grafana (kube-prometheus-stack) with the platform's rules, routing and dashboards. */
export interface MonitoringArgs {
    readonly provider: k8s.Provider;
    /** Namespaces of the platform's applications; the platform's app rules and dashboards cover them. */
    readonly appNamespaces: readonly string[];
    /** Maximum size of the node group, for the capacity rules, dashboard and node-exporter quota. */
    readonly nodeGroupMaxSize: number;
    /** Prefix of every runbook_url, ending with a slash. */
    readonly runbookBaseUrl: string;
    readonly prometheus: {
        /** Prometheus duration, e.g. "15d". */
        readonly retention: string;
        readonly storageGb: number;
    };
    readonly alertmanager: {
        readonly replicas: number;
        /** Silences and notification log. @default 2 */
        readonly storageGb?: number;
    };
    /** The data-path canary's CronJob, for the DataPathCanaryMissing rule. @default none */
    readonly canary?: CanaryWatch;
    /** Whether the apps are probed by the blackbox exporter, for the probe rules. @default false */
    readonly probes?: boolean;
    /** @default {} (alerts reach no one; a warning is logged) */
    readonly receivers?: AlertReceivers;
    /** @default "monitoring" */
    readonly namespace?: string;
    /** StorageClass of the Prometheus and Alertmanager volumes. @default "gp3" */
    readonly storageClass?: string;
}

export class Monitoring extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    /** Grafana's `admin` password, only ever as a secret. */
    public readonly grafanaAdminPassword: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:monitoring:Monitoring", name, {}, opts);

        const namespaceName = args.namespace ?? "monitoring";
        const storageClass = args.storageClass ?? "gp3";
        const alertmanagerStorageGb = args.alertmanager.storageGb ?? 2;
        const receivers = args.receivers ?? {};
        this.validate(args);
        // Pure builders validate what they are given; their errors are reported against this component.
        const rules = asResourceError(this, () => platformRules(args));
        const dashboards = platformDashboards(args);
        const child = { parent: this, provider: args.provider };

        // node-exporter reads the host (hostNetwork, hostPID, hostPath /proc, /sys, /), which both
        // the baseline and restricted levels forbid, so the namespace enforces "privileged". The
        // quota, limits and default-deny policies still apply.
        const guarded = new GuardedNamespace(`${name}-namespace`, {
            provider: args.provider,
            namespace: namespaceName,
            podSecurity: "privileged",
            quota: monitoringQuota({ alertmanagerReplicas: args.alertmanager.replicas, maxNodes: args.nodeGroupMaxSize }),
            containerDefaults: MONITORING_CONTAINER_DEFAULTS,
            maxContainerMemoryMiB: largestMemoryLimitMiB(),
        }, { parent: this });
        const namespace = guarded.namespaceName;
        const policies = Object.entries(monitoringNetworkPolicies(namespace))
            .map(([role, manifest]) => new k8s.networking.v1.NetworkPolicy(`${name}-${role}`, manifest, child));

        const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
        const grafanaSecret = new k8s.core.v1.Secret(`${name}-grafana-admin`, {
            metadata: { name: "grafana-admin", namespace },
            type: "Opaque",
            stringData: { "admin-user": "admin", "admin-password": password.result },
        }, child);

        const slack = receivers.slackWebhookUrl !== undefined;
        const pagerduty = receivers.pagerdutyRoutingKey !== undefined;
        if (!slack && !pagerduty) {
            pulumi.log.warn("no Slack webhook or PagerDuty routing key configured: alerts fire in Alertmanager but notify no one (see 'Configuring the receivers' in docs/monitoring.md)", this);
        }
        const receiverSecretName = "alertmanager-receivers";
        const receiverData: Record<string, pulumi.Input<string>> = {};
        if (receivers.slackWebhookUrl !== undefined) {
            receiverData[RECEIVER_SECRET_KEYS.slackWebhookUrl] = pulumi.secret(receivers.slackWebhookUrl);
        }
        if (receivers.pagerdutyRoutingKey !== undefined) {
            receiverData[RECEIVER_SECRET_KEYS.pagerdutyRoutingKey] = pulumi.secret(receivers.pagerdutyRoutingKey);
        }
        // Always created, possibly empty, so the Alertmanager pods' volume never points at nothing.
        const receiverSecret = new k8s.core.v1.Secret(`${name}-alertmanager-receivers`, {
            metadata: { name: receiverSecretName, namespace },
            type: "Opaque",
            stringData: receiverData,
        }, child);

        // After the whole guarded namespace (quota, LimitRange, default-deny and DNS policies), not just
        // the Namespace: pods admitted before the LimitRange miss its defaults, and pods created while
        // a new quota has no status yet are rejected ("status unknown for quota").
        const release = new k8s.helm.v3.Release(`${name}-stack`, {
            name: RELEASE_NAME,
            chart: chartArchive(CHART),
            namespace,
            createNamespace: false,
            // The CRDs are large; the default 5 minutes is tight on a first install with PVCs binding.
            timeout: 900,
            values: kubePrometheusStackValues({
                releaseName: RELEASE_NAME,
                prometheus: args.prometheus,
                alertmanager: {
                    replicas: args.alertmanager.replicas,
                    storageGb: alertmanagerStorageGb,
                    config: alertmanagerConfig({ secretName: receiverSecretName, slack, pagerduty }),
                },
                alertmanagerSecrets: [receiverSecretName],
                grafanaAdminSecret: "grafana-admin",
                storageClass,
                appNamespaces: args.appNamespaces,
            }),
        }, { ...child, dependsOn: [guarded, grafanaSecret, receiverSecret, ...policies] });

        // The PrometheusRule kind exists only once the chart has installed its CRDs.
        new k8s.apiextensions.CustomResource(`${name}-platform-rules`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: "iot-platform", namespace, labels: { release: RELEASE_NAME } },
            spec: rules,
        }, { ...child, dependsOn: [release] });

        for (const dashboard of dashboards) {
            const id = dashboard.file.replace(/\.json$/, "");
            new k8s.core.v1.ConfigMap(`${name}-${id}`, {
                metadata: { name: id, namespace, labels: { grafana_dashboard: "1" } },
                data: { [dashboard.file]: JSON.stringify(dashboard.model) },
            }, child);
        }

        this.namespace = namespace;
        this.grafanaAdminPassword = pulumi.secret(password.result);
        this.registerOutputs({ namespace: this.namespace, grafanaAdminPassword: this.grafanaAdminPassword });
    }

    private validate(args: MonitoringArgs): void {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(message, this);
        };
        if (!/^[1-9]\d*(h|d|w)$/.test(args.prometheus.retention)) {
            fail(`prometheus.retention must be a duration like 48h, 15d or 2w, got "${args.prometheus.retention}"`);
        }
        if (!(Number.isInteger(args.prometheus.storageGb) && args.prometheus.storageGb >= 10)) {
            fail(`prometheus.storageGb must be a whole number of at least 10, got ${args.prometheus.storageGb}`);
        }
        if (!(Number.isInteger(args.alertmanager.replicas) && args.alertmanager.replicas >= 1)) {
            fail(`alertmanager.replicas must be a whole number of at least 1, got ${args.alertmanager.replicas}`);
        }
        if (!/^https:\/\/\S+\/$/.test(args.runbookBaseUrl)) {
            fail(`runbookBaseUrl must be an https URL ending with a slash, got "${args.runbookBaseUrl}"`);
        }
    }
}
