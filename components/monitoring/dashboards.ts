/**
 * Grafana dashboards as JSON models. Pure: the Monitoring component ships each as a ConfigMap that
 * the chart's Grafana sidecar loads, and the check script syntax-checks every query with promtool.
 */

export interface DashboardOptions {
    readonly appNamespaces: readonly string[];
    readonly nodeGroupMaxSize: number;
}

interface Panel {
    readonly title: string;
    readonly type: "timeseries" | "stat";
    /** Legend per query; `{{label}}` is Grafana's legend syntax. */
    readonly targets: readonly { readonly expr: string; readonly legend: string }[];
    readonly unit?: string;
}

export interface Dashboard {
    /** File name in the ConfigMap, and the base of its uid. */
    readonly file: string;
    readonly model: Record<string, unknown>;
}

const WIDTH = 12;
const HEIGHT = 8;

function dashboard(uid: string, title: string, panels: Panel[], variables: Record<string, unknown>[] = []): Dashboard {
    return {
        file: `${uid}.json`,
        model: {
            uid,
            title,
            tags: ["iot-platform"],
            timezone: "utc",
            schemaVersion: 39,
            refresh: "1m",
            time: { from: "now-6h", to: "now" },
            templating: { list: variables },
            panels: panels.map((p, i) => ({
                id: i + 1,
                title: p.title,
                type: p.type,
                datasource: { type: "prometheus", uid: "prometheus" },
                gridPos: { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT, w: WIDTH, h: HEIGHT },
                fieldConfig: { defaults: { unit: p.unit ?? "short" }, overrides: [] },
                targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legend })),
            })),
        },
    };
}

export function platformDashboards(o: DashboardOptions): Dashboard[] {
    const apps = `namespace=~"${o.appNamespaces.join("|")}"`;
    // The golden-signals dashboard is one model with a namespace picker limited to the app namespaces.
    const sel = `namespace="$namespace"`;
    const namespaceVariable = {
        name: "namespace",
        label: "Application namespace",
        type: "custom",
        query: o.appNamespaces.join(","),
        current: { text: o.appNamespaces[0], value: o.appNamespaces[0] },
        options: o.appNamespaces.map((ns, i) => ({ text: ns, value: ns, selected: i === 0 })),
    };

    const overview = dashboard("iot-platform-overview", "IoT platform / Overview", [
        { title: "Firing alerts by severity", type: "stat", targets: [{ expr: `sum by (severity) (ALERTS{alertstate="firing"})`, legend: "{{severity}}" }] },
        { title: "Ready nodes", type: "stat", targets: [{ expr: `sum(kube_node_status_condition{condition="Ready", status="true"})`, legend: "ready" }] },
        { title: "Pods not ready per app namespace", type: "timeseries", targets: [{ expr: `sum by (namespace) (kube_pod_status_ready{${apps}, condition="false"})`, legend: "{{namespace}}" }] },
        { title: "Container restarts per app namespace (1h)", type: "timeseries", targets: [{ expr: `sum by (namespace) (increase(kube_pod_container_status_restarts_total{${apps}}[1h]))`, legend: "{{namespace}}" }] },
        { title: "CPU used per app namespace", type: "timeseries", unit: "cores", targets: [{ expr: `sum by (namespace) (rate(container_cpu_usage_seconds_total{${apps}, container!=""}[5m]))`, legend: "{{namespace}}" }] },
        { title: "Memory used per app namespace", type: "timeseries", unit: "bytes", targets: [{ expr: `sum by (namespace) (container_memory_working_set_bytes{${apps}, container!=""})`, legend: "{{namespace}}" }] },
    ]);

    const goldenSignals = dashboard("iot-platform-app-golden-signals", "IoT platform / Application golden signals", [
        { title: "Traffic: requests per second", type: "timeseries", unit: "reqps", targets: [{ expr: `sum by (service) (rate(http_requests_total{${sel}}[5m]))`, legend: "{{service}}" }] },
        {
            title: "Errors: share of 5xx responses", type: "timeseries", unit: "percentunit",
            targets: [{ expr: `sum by (service) (rate(http_requests_total{${sel}, code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{${sel}}[5m]))`, legend: "{{service}}" }],
        },
        {
            title: "Latency: p99", type: "timeseries", unit: "s",
            targets: [{ expr: `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{${sel}}[5m])))`, legend: "{{service}}" }],
        },
        {
            title: "Saturation: memory used / limit", type: "timeseries", unit: "percentunit",
            targets: [{
                expr: `max by (pod) (container_memory_working_set_bytes{${sel}, container!=""}) / max by (pod) (kube_pod_container_resource_limits{${sel}, resource="memory"})`,
                legend: "{{pod}}",
            }],
        },
        {
            title: "Saturation: replicas vs HPA maximum", type: "timeseries",
            targets: [
                { expr: `kube_horizontalpodautoscaler_status_current_replicas{${sel}}`, legend: "{{horizontalpodautoscaler}} current" },
                { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${sel}}`, legend: "{{horizontalpodautoscaler}} max" },
            ],
        },
        { title: "Container restarts (1h)", type: "timeseries", targets: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${sel}}[1h]))`, legend: "{{pod}}" }] },
    ], [namespaceVariable]);

    const capacity = dashboard("iot-platform-capacity", "IoT platform / Capacity", [
        {
            title: "Nodes vs node group maximum", type: "timeseries",
            targets: [
                { expr: `count(kube_node_info)`, legend: "nodes" },
                { expr: `vector(${o.nodeGroupMaxSize})`, legend: "node group max" },
            ],
        },
        { title: "Unschedulable pods", type: "timeseries", targets: [{ expr: `sum by (namespace) (kube_pod_status_unschedulable)`, legend: "{{namespace}}" }] },
        {
            title: "CPU requested / allocatable", type: "timeseries", unit: "percentunit",
            targets: [{ expr: `sum(kube_pod_container_resource_requests{resource="cpu"}) / sum(kube_node_status_allocatable{resource="cpu"})`, legend: "cluster" }],
        },
        {
            title: "Memory requested / allocatable", type: "timeseries", unit: "percentunit",
            targets: [{ expr: `sum(kube_pod_container_resource_requests{resource="memory"}) / sum(kube_node_status_allocatable{resource="memory"})`, legend: "cluster" }],
        },
        {
            title: "Pods / pod capacity", type: "timeseries", unit: "percentunit",
            targets: [{ expr: `sum(kube_pod_info) / sum(kube_node_status_allocatable{resource="pods"})`, legend: "cluster" }],
        },
        {
            title: "CPU requested per namespace", type: "timeseries", unit: "cores",
            targets: [{ expr: `sum by (namespace) (kube_pod_container_resource_requests{resource="cpu"})`, legend: "{{namespace}}" }],
        },
    ]);

    return [overview, goldenSignals, capacity];
}

/** Every query of a dashboard, with Grafana variables replaced so promtool can parse them. */
export function dashboardQueries(d: Dashboard, sampleNamespace: string): string[] {
    const panels = d.model.panels as { targets: { expr: string }[] }[];
    return panels.flatMap((p) => p.targets.map((t) => t.expr.replace(/\$namespace/g, sampleNamespace)));
}
