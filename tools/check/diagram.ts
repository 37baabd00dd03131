/**
 * The system as a Mermaid flowchart: one node per catalog app with the flows its entry declares,
 * the data path, monitoring and the cluster add-ons. Apps and their edges come from the catalog
 * (`iot-platform:apps`), so a new entry appears with its flows without a change here; the rest is
 * labelled from the resources the program registered (shards, versions, node group).
 */
import { ResolvedApp } from "../../components/apps/app";
import { AnalyzedResource } from "../policy/analyzer";

type Resource = Pick<AnalyzedResource, "type" | "name" | "urn" | "parent" | "properties">;

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    cluster: "eks:index:Cluster",
    nodeGroup: "eks:index:ManagedNodeGroup",
    eksAddon: "aws:eks/addon:Addon",
    stream: "aws:kinesis/stream:Stream",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    release: "kubernetes:helm.sh/v3:Release",
    cronJob: "kubernetes:batch/v1:CronJob",
} as const;

/** Component type tokens, to tell the monitoring stack's release from the add-ons' ones. */
const COMPONENT = {
    monitoring: "iot:monitoring:Monitoring",
    probes: "iot:monitoring:BlackboxProbes",
    canary: "iot:canary:DataPathCanary",
    metricsServer: "iot:addons:MetricsServer",
    autoscaler: "iot:addons:ClusterAutoscaler",
} as const;

const SHAPES = { box: ["[", "]"], circle: ["((", "))"], cylinder: ["[(", ")]"], flag: [">", "]"] } as const;

/** What each `dataAccess` kind means on the data path: the edge's direction and label. */
const DATA_EDGES: Record<ResolvedApp["dataAccess"][number], { readonly from?: string; readonly to?: string; readonly label: string }> = {
    produceStream: { to: "stream", label: "PutRecords" },
    readStream: { from: "stream", label: "GetRecords" },
    readLake: { from: "lake", label: "GetObject" },
};

/** Generated ids are `<prefix>_<name>`: never a keyword, and unique because names are DNS labels. */
const idOf = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;

export function appNodeId(name: string): string {
    return idOf("app", name);
}

/** A double-quoted Mermaid label, one line per part; `#quot;` is Mermaid's escape for a quote inside one. */
function label(...parts: string[]): string {
    return `"${parts.map((p) => p.replace(/"/g, "#quot;")).join("<br/>")}"`;
}

/** Charts are vendored archives: `./charts/metrics-server-3.13.1.tgz` → `["metrics-server", "3.13.1"]`. */
function chartOf(release: Resource): [name: string, version: string] {
    const file = String(release.properties.chart ?? release.name).replace(/^.*\//, "");
    const match = /^(.*)-(\d[^-]*)\.tgz$/.exec(file);
    return match ? [match[1], match[2]] : [file, ""];
}

const chartLabel = (release: Resource) => chartOf(release).join(" ").trim();

function topComponent(resource: Resource, byUrn: Map<string, Resource>): Resource | undefined {
    let top: Resource | undefined;
    for (let current: Resource | undefined = resource; current; current = current.parent ? byUrn.get(current.parent) : undefined) {
        if (current.type.startsWith("iot:")) {
            top = current;
        }
    }
    return top;
}

function exposureLabel(app: ResolvedApp): string {
    const listener = app.tls ? "TLS 443" : "TCP 80";
    return `${listener}, ${app.exposure} NLB`;
}

export function systemDiagram(resources: readonly Resource[], apps: readonly ResolvedApp[]): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    // Registration order depends on when inputs resolve; sorting by name keeps the diagram stable.
    const ofType = (type: string, component?: string) => resources
        .filter((r) => r.type === type && (component === undefined || topComponent(r, byUrn)?.type === component))
        .sort((a, b) => a.name.localeCompare(b.name));
    const props = (type: string): any => ofType(type)[0]?.properties ?? {};

    const lines = ["flowchart LR"];
    const node = (depth: number, id: string, text: string[], shape: keyof typeof SHAPES = "box") => {
        const [open, close] = SHAPES[shape];
        lines.push(`${"  ".repeat(depth)}${id}${open}${label(...text)}${close}`);
    };
    const subgraph = (depth: number, id: string, text: string, body: () => void) => {
        lines.push(`${"  ".repeat(depth)}subgraph ${id}[${label(text)}]`);
        body();
        lines.push(`${"  ".repeat(depth)}end`);
    };
    const edges: string[] = [];
    const edge = (from: string, to: string, text?: string, style: "-->" | "-.->" = "-->") => {
        edges.push(`  ${from} ${style}${text ? `|${label(text)}|` : ""} ${to}`);
    };

    const internalApps = apps.filter((a) => a.exposure === "internal");
    const publicApps = apps.filter((a) => a.exposure === "public");
    if (internalApps.length > 0) {
        node(1, "sites", ["device networks", "site VPN, Direct Connect"], "circle");
    }
    if (publicApps.length > 0) {
        node(1, "internet", ["internet"], "circle");
    }

    const vpc = props(T.vpc);
    const nats = ofType(T.nat).length;
    const eks = props(T.cluster);
    const nodes = props(T.nodeGroup);
    const monitoringStack = ofType(T.release, COMPONENT.monitoring)[0];
    const blackbox = ofType(T.release, COMPONENT.probes)[0];
    const canary = ofType(T.cronJob, COMPONENT.canary).length > 0;
    const addonReleases = [...ofType(T.release, COMPONENT.metricsServer), ...ofType(T.release, COMPONENT.autoscaler)];
    subgraph(1, "vpc", `VPC ${vpc.cidrBlock ?? ""}: ${ofType(T.subnet).length} subnets, ${nats} NAT gateway${nats === 1 ? "" : "s"}`, () => {
        subgraph(2, "eks", `EKS ${eks.version ?? ""}`, () => {
            node(3, "nodes", [`node group ${nodes.scalingConfig?.desiredSize ?? "?"} x ${(nodes.instanceTypes ?? []).join(", ")}`, `max ${nodes.scalingConfig?.maxSize ?? "?"}`]);
            subgraph(3, "apps", "apps (iot-platform:apps)", () => {
                for (const app of apps) {
                    node(4, appNodeId(app.name), [app.name, `ns ${app.namespace}, ${app.replicas.min}-${app.replicas.max} pods`]);
                }
            });
            subgraph(3, "monitoring", "monitoring", () => {
                node(4, "prometheus", monitoringStack ? ["Prometheus", chartLabel(monitoringStack)] : ["Prometheus"]);
                node(4, "alertmanager", ["Alertmanager"]);
                node(4, "grafana", ["Grafana"]);
                if (blackbox) {
                    node(4, "blackbox", [chartLabel(blackbox)]);
                }
                if (canary) {
                    node(4, "canary", ["data-path canary", "CronJob"]);
                }
            });
            subgraph(3, "addons", "cluster add-ons", () => {
                for (const release of addonReleases) {
                    node(4, idOf("addon", chartOf(release)[0]), [chartLabel(release)]);
                }
                // vpc-cni and kube-proxy are installed by eks.Cluster itself, before the nodes.
                if (eks.vpcCniOptions) {
                    node(4, "eks_vpc_cni", ["vpc-cni", eks.vpcCniOptions.enableNetworkPolicy ? "network policy on" : "network policy off"]);
                }
                if (eks.kubeProxyAddonOptions?.enabled) {
                    node(4, "eks_kube_proxy", ["kube-proxy", "EKS add-on"]);
                }
                for (const addon of ofType(T.eksAddon)) {
                    node(4, idOf("eks", String(addon.properties.addonName ?? addon.name)), [String(addon.properties.addonName ?? addon.name), "EKS add-on"]);
                }
            });
        });
    });

    const hasData = ofType(T.stream).length > 0;
    if (hasData) {
        const shards = props(T.stream).shardCount;
        subgraph(1, "data", "data path", () => {
            node(2, "stream", ["Kinesis stream", shards ? `${shards} shards` : "on-demand"]);
            node(2, "firehose", ["Firehose"]);
            node(2, "lake", ["S3 data lake"], "cylinder");
        });
    }
    const alarms = ofType(T.alarm).length;
    if (alarms > 0) {
        node(1, "alarms", [`${alarms} CloudWatch alarms`]);
    }
    node(1, "slack", ["Slack"], "flag");
    node(1, "pagerduty", ["PagerDuty"], "flag");

    for (const app of internalApps) {
        edge("sites", appNodeId(app.name), exposureLabel(app));
    }
    for (const app of publicApps) {
        edge("internet", appNodeId(app.name), exposureLabel(app));
    }
    for (const app of apps) {
        for (const access of hasData ? app.dataAccess : []) {
            const { from, to, label: text } = DATA_EDGES[access];
            edge(from ?? appNodeId(app.name), to ?? appNodeId(app.name), text);
        }
        for (const caller of app.allowFrom) {
            edge(appNodeId(caller), appNodeId(app.name), `HTTP ${app.port}`);
        }
    }
    if (hasData) {
        edge("stream", "firehose");
        edge("firehose", "lake", "GZIP, date partitions");
        if (canary) {
            edge("canary", "stream", "canary record");
            edge("lake", "canary", "arrived?", "-.->");
        }
        if (alarms > 0) {
            edge("data", "alarms", "CloudWatch metrics", "-.->");
        }
    }
    edge("prometheus", "apps", "scrapes /metrics", "-.->");
    if (blackbox) {
        edge("blackbox", "apps", "probes", "-.->");
    }
    const autoscaler = ofType(T.release, COMPONENT.autoscaler)[0];
    if (autoscaler) {
        edge(idOf("addon", chartOf(autoscaler)[0]), "nodes", "scales");
    }
    edge("grafana", "prometheus", "queries");
    edge("prometheus", "alertmanager", "alerts");
    // The routing tree of components/monitoring/alertmanagerConfig.ts: critical alerts page and post, warnings post.
    edge("alertmanager", "pagerduty", "critical");
    edge("alertmanager", "slack", "critical, warning");
    if (alarms > 0) {
        edge("alarms", "pagerduty", "SNS");
    }
    return [...lines, ...edges].join("\n");
}
