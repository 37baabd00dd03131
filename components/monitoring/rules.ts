/**
 * Prometheus alerting rules for this platform's failure modes, on top of the chart's defaults.
 * Pure: the Monitoring component ships the result as a PrometheusRule, and
 * scripts/render-monitoring.ts writes the same groups to a file for `promtool check rules`.
 */
import { runbookUrl, SEVERITIES, Severity } from "./severity";

export interface RuleOptions {
    /** Namespaces of the platform's applications; the app rules look only there. */
    readonly appNamespaces: readonly string[];
    /** Maximum size of the node group: at that count the cluster cannot grow any more. */
    readonly nodeGroupMaxSize: number;
    /** Prefix of every runbook_url, ending with a slash. */
    readonly runbookBaseUrl: string;
    /** The data-path canary's CronJob, watched through kube-state-metrics. @default none (no canary rule) */
    readonly canary?: CanaryWatch;
    /** Whether the blackbox exporter probes the apps (components/monitoring/probes.ts). @default false */
    readonly probes?: boolean;
}

export interface CanaryWatch {
    readonly namespace: string;
    readonly cronJob: string;
    /** Seconds without a successful run before the alert fires (manifests.ts, missingAfterSeconds). */
    readonly missingAfterSeconds: number;
}

export interface AlertingRule {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    readonly labels: { readonly severity: Severity };
    readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

export interface RuleGroup {
    readonly name: string;
    readonly rules: AlertingRule[];
}

/** The PrometheusRule spec, which is also the layout of a Prometheus rules file. */
export interface RulesFile {
    readonly groups: RuleGroup[];
}

/** Fractions of the memory limit at which a container is close to being OOM-killed. */
export const MEMORY_NEAR_LIMIT = { warning: 0.9, critical: 0.97 } as const;

/** Restarts within an hour that mean "unstable", before the kubelet's back-off turns it into a crash loop. */
export const RESTARTS_PER_HOUR = 3;

/** The taint EKS puts on the old nodes of a managed node group while it updates the group. */
export const NODE_GROUP_UPDATE_TAINT = `key="eks.amazonaws.com/nodegroup", value="unschedulable", effect="NoSchedule"`;

/** A Kubernetes namespace name (RFC 1123 label); it also can never break the regex it is put in. */
const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Every alert name the rules can emit; each has docs/runbooks/<name>.md. */
export const PROMETHEUS_ALERT_NAMES = [
    "AppPodRestarting",
    "AppPodCrashLooping",
    "AppHpaPinnedAtMax",
    "AppMemoryNearLimit",
    "AppAvailabilityBelowPdb",
    "NodeGroupAtMaxSize",
    "PodsPendingCapacityExhausted",
    "DataPathCanaryMissing",
    "AppProbeFailing",
    "AppCertificateExpiringSoon",
] as const;

/** Fraction of probes that must succeed over 5 minutes; below it the app counts as down. */
export const PROBE_SUCCESS_FLOOR = 0.5;
/** Days before a listener's certificate expires at which the warning fires. */
export const CERT_EXPIRY_WARNING_DAYS = 21;

export type PrometheusAlertName = (typeof PROMETHEUS_ALERT_NAMES)[number];

export function platformRules(options: RuleOptions): RulesFile {
    const { appNamespaces, nodeGroupMaxSize, runbookBaseUrl } = options;
    if (appNamespaces.length === 0) {
        throw new Error("appNamespaces must list at least one namespace");
    }
    const bad = appNamespaces.filter((ns) => !NAMESPACE_PATTERN.test(ns));
    if (bad.length > 0) {
        throw new Error(`appNamespaces must be Kubernetes namespace names, got ${bad.map((ns) => JSON.stringify(ns)).join(", ")}`);
    }
    if (!Number.isInteger(nodeGroupMaxSize) || nodeGroupMaxSize < 1) {
        throw new Error(`nodeGroupMaxSize must be a whole number of at least 1, got ${nodeGroupMaxSize}`);
    }

    const ns = `namespace=~"${appNamespaces.join("|")}"`;
    const ksm = `job="kube-state-metrics", ${ns}`;
    const rule = (alert: PrometheusAlertName, severity: Severity, forDuration: string, expr: string, summary: string, description: string): AlertingRule => ({
        alert,
        expr,
        for: forDuration,
        labels: { severity },
        annotations: { summary, description, runbook_url: runbookUrl(runbookBaseUrl, alert) },
    });

    // A warning and a critical rule share an alert name where the problem has a stage before the
    // outage; Alertmanager then inhibits the warning while the critical one fires.
    const crashLoopExpr = `max by (namespace, pod, container) (kube_pod_container_status_waiting_reason{${ksm}, reason="CrashLoopBackOff"}) >= 1`;
    const memoryRatio = [
        `max by (namespace, pod, container) (container_memory_working_set_bytes{job="kubelet", metrics_path="/metrics/cadvisor", container!="", ${ns}})`,
        `/ on (namespace, pod, container)`,
        `max by (namespace, pod, container) (kube_pod_container_resource_limits{${ksm}, resource="memory"})`,
    ].join("\n");
    const belowPdbExpr = [
        `max by (namespace, poddisruptionbudget) (kube_poddisruptionbudget_status_current_healthy{${ksm}})`,
        `< on (namespace, poddisruptionbudget)`,
        `max by (namespace, poddisruptionbudget) (kube_poddisruptionbudget_status_desired_healthy{${ksm}})`,
    ].join("\n");
    // kube_node_info has one series per registered node; the platform runs a single managed node
    // group. While EKS updates a managed node group (new AMI, launch template or Kubernetes version)
    // it raises the group's maximum, surges new nodes next to the old ones and taints the old ones
    // eks.amazonaws.com/nodegroup=unschedulable:NoSchedule until they are drained: the node count
    // then exceeds the configured maximum although the group can still grow, so the capacity rules
    // stay quiet while any node carries that taint.
    // https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html
    const atMaxNodes = [
        `count(kube_node_info{job="kube-state-metrics"}) >= ${nodeGroupMaxSize}`,
        `unless on () count(kube_node_spec_taint{job="kube-state-metrics", ${NODE_GROUP_UPDATE_TAINT}})`,
    ].join("\n");

    const apps: AlertingRule[] = [
        rule("AppPodRestarting", SEVERITIES.warning, "5m",
            `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${ksm}}[1h])) > ${RESTARTS_PER_HOUR}`,
            "Pod {{ $labels.namespace }}/{{ $labels.pod }} keeps restarting",
            `{{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value | humanize }} times in the last hour (more than ${RESTARTS_PER_HOUR}).`),
        rule("AppPodCrashLooping", SEVERITIES.warning, "5m", crashLoopExpr,
            "Container {{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} is crash-looping",
            "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) has been in CrashLoopBackOff for 5 minutes."),
        rule("AppPodCrashLooping", SEVERITIES.critical, "15m", crashLoopExpr,
            "Container {{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} is crash-looping",
            "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) has been in CrashLoopBackOff for 15 minutes; it is not recovering on its own."),
        rule("AppHpaPinnedAtMax", SEVERITIES.warning, "15m",
            [
                `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${ksm}})`,
                `>= on (namespace, horizontalpodautoscaler)`,
                `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${ksm}})`,
                // An HPA whose min equals its max is pinned by design, not by load.
                `and on (namespace, horizontalpodautoscaler)`,
                `(max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${ksm}})`,
                ` > on (namespace, horizontalpodautoscaler)`,
                ` max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_min_replicas{${ksm}}))`,
            ].join("\n"),
            "HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} is pinned at its maximum",
            "{{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at max replicas for 15 minutes: load exceeds what it may scale to."),
        rule("AppMemoryNearLimit", SEVERITIES.warning, "15m", `${memoryRatio}\n> ${MEMORY_NEAR_LIMIT.warning}`,
            "Container {{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} is close to its memory limit",
            "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses {{ $value | humanizePercentage }} of its memory limit."),
        rule("AppMemoryNearLimit", SEVERITIES.critical, "5m", `${memoryRatio}\n> ${MEMORY_NEAR_LIMIT.critical}`,
            "Container {{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} is about to be OOM-killed",
            "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses {{ $value | humanizePercentage }} of its memory limit; the kernel kills it at 100%."),
        rule("AppAvailabilityBelowPdb", SEVERITIES.warning, "5m", belowPdbExpr,
            "{{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has fewer healthy pods than its PodDisruptionBudget requires",
            "{{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} is below its declared minimum availability; node drains are blocked."),
        rule("AppAvailabilityBelowPdb", SEVERITIES.critical, "15m", belowPdbExpr,
            "{{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has been below its PodDisruptionBudget for 15 minutes",
            "{{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has fewer healthy pods than it needs to serve safely, and it is not recovering."),
    ];

    const capacity: AlertingRule[] = [
        rule("NodeGroupAtMaxSize", SEVERITIES.warning, "15m", atMaxNodes,
            "The node group is at its maximum size",
            `The cluster has run {{ $value }} nodes, the node group's maximum (${nodeGroupMaxSize}), for 15 minutes; the autoscaler cannot add capacity.`),
        rule("PodsPendingCapacityExhausted", SEVERITIES.critical, "10m",
            `sum by (namespace) (kube_pod_status_unschedulable{job="kube-state-metrics"}) > 0\nand on () (${atMaxNodes})`,
            "Pods in {{ $labels.namespace }} cannot be scheduled and the cluster cannot grow",
            `{{ $value }} pods in {{ $labels.namespace }} have been unschedulable for 10 minutes while the node group is at its maximum (${nodeGroupMaxSize} nodes).`),
    ];

    const groups: RuleGroup[] = [
        { name: "iot-platform.apps", rules: apps },
        { name: "iot-platform.capacity", rules: capacity },
    ];
    if (options.probes) {
        groups.push({ name: "iot-platform.probes", rules: probeRules(runbookBaseUrl) });
    }
    if (options.canary) {
        groups.push({ name: "iot-platform.canary", rules: [canaryRule(options.canary, rule)] });
    }
    return { groups };
}

/**
 * Alerts on the blackbox exporter's results, labelled per target by the Probe objects (app,
 * app_namespace, exposure, check). `namespace` is set to the app's, so Alertmanager groups and
 * inhibits per app namespace as for the other app alerts.
 *
 * Probe failing: fewer than half of the last 5 minutes' probes succeeded. Not "the last probe
 * failed": an internal NLB with instance targets preserves the client address, and a connection
 * from a node to the NLB that lands on that same node times out (AWS: "Troubleshoot your Network
 * Load Balancer", requests from a target to its own load balancer), so about one listener probe in
 * <nodes> fails while all is well. Critical for apps behind a load balancer, warning for the others.
 */
function probeRules(runbookBaseUrl: string): AlertingRule[] {
    const byApp = (exposure: string) => [
        `label_replace(`,
        `  avg by (app, app_namespace, exposure, check, instance) (avg_over_time(probe_success{check=~"service|listener", exposure=~"${exposure}"}[5m]))`,
        `  < ${PROBE_SUCCESS_FLOOR},`,
        `  "namespace", "$1", "app_namespace", "(.*)")`,
    ].join("\n");
    const rule = (alert: PrometheusAlertName, severity: Severity, forDuration: string, expr: string, summary: string, description: string): AlertingRule => ({
        alert, expr, for: forDuration, labels: { severity }, annotations: { summary, description, runbook_url: runbookUrl(runbookBaseUrl, alert) },
    });
    const failing = "{{ $labels.app }} ({{ $labels.check }} probe) fails";
    const failingText = `Fewer than ${PROBE_SUCCESS_FLOOR * 100}% of the probes of {{ $labels.instance }} succeeded over 5 minutes ({{ $value | humanizePercentage }}), for 5 minutes.`;
    return [
        rule("AppProbeFailing", SEVERITIES.critical, "5m", byApp("internal|public"), `${failing}: its clients cannot reach it`, failingText),
        rule("AppProbeFailing", SEVERITIES.warning, "5m", byApp("cluster"), failing, failingText),
        rule("AppCertificateExpiringSoon", SEVERITIES.warning, "1h",
            [
                `label_replace(`,
                `  min by (app, app_namespace, instance) (probe_ssl_earliest_cert_expiry{check="listener"}) - time()`,
                `  < ${CERT_EXPIRY_WARNING_DAYS} * 86400,`,
                `  "namespace", "$1", "app_namespace", "(.*)")`,
            ].join("\n"),
            "The TLS certificate of {{ $labels.app }}'s load balancer expires within " + CERT_EXPIRY_WARNING_DAYS + " days",
            "The certificate served at {{ $labels.instance }} expires in {{ $value | humanizeDuration }}."),
    ];
}

/**
 * The canary CronJob exits non-zero unless a recent canary has reached the lake, so its last
 * successful run (kube-state-metrics' `kube_cronjob_status_last_successful_time`, absent until the
 * first success) is the age of the last proof that data arrives. Fires when that proof is too old,
 * when the CronJob never succeeded that long after its creation, and when the CronJob is gone.
 */
function canaryRule(canary: CanaryWatch, rule: (alert: PrometheusAlertName, severity: Severity, forDuration: string, expr: string, summary: string, description: string) => AlertingRule): AlertingRule {
    if (!NAMESPACE_PATTERN.test(canary.namespace) || !NAMESPACE_PATTERN.test(canary.cronJob)) {
        throw new Error(`canary namespace and cronJob must be Kubernetes names, got "${canary.namespace}", "${canary.cronJob}"`);
    }
    if (!(Number.isInteger(canary.missingAfterSeconds) && canary.missingAfterSeconds > 0)) {
        throw new Error(`canary.missingAfterSeconds must be a whole number above 0, got ${canary.missingAfterSeconds}`);
    }
    const selector = `job="kube-state-metrics", namespace="${canary.namespace}", cronjob="${canary.cronJob}"`;
    const limit = canary.missingAfterSeconds;
    const expr = [
        `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{${selector}}) > ${limit}`,
        `or`,
        `(time() - max by (namespace, cronjob) (kube_cronjob_created{${selector}}) > ${limit}`,
        ` unless on (namespace, cronjob) kube_cronjob_status_last_successful_time{${selector}})`,
        `or`,
        `absent(kube_cronjob_created{${selector}})`,
    ].join("\n");
    return rule("DataPathCanaryMissing", SEVERITIES.critical, "5m", expr,
        "Canary records are not reaching the data lake",
        `No run of the data-path canary (${canary.namespace}/${canary.cronJob}) has confirmed delivery to S3 for more than ${limit / 60} minutes: telemetry may be lost or late between Kinesis, Firehose and the lake (or the canary no longer runs).`);
}

/** Distinct alert names in a rules file, in order of appearance. */
export function alertNamesOf(rules: RulesFile): string[] {
    return [...new Set(rules.groups.flatMap((g) => g.rules.map((r) => r.alert)))];
}
