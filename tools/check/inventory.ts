/** Groups resources under their top-level component and draws the architecture as Mermaid. */
import { AnalyzedResource } from "../policy/analyzer";
import { InventoryGroup } from "./report";

type Resource = Pick<AnalyzedResource, "type" | "name" | "urn" | "parent" | "properties">;

function topComponent(resource: Resource, byUrn: Map<string, Resource>): Resource | undefined {
    let current: Resource | undefined = resource;
    let top: Resource | undefined;
    while (current) {
        if (current.type.startsWith("iot:")) {
            top = current;
        }
        current = current.parent ? byUrn.get(current.parent) : undefined;
    }
    return top;
}

export function inventory(resources: readonly Resource[]): InventoryGroup[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Record<string, number>>();
    for (const r of resources) {
        if (r.type.startsWith("iot:") && !r.parent) {
            groups.set(`${r.type} ${r.name}`, groups.get(`${r.type} ${r.name}`) ?? {});
            continue;
        }
        const top = topComponent(r, byUrn);
        const key = top ? `${top.type} ${top.name}` : "(top level)";
        const counts = groups.get(key) ?? {};
        counts[r.type] = (counts[r.type] ?? 0) + 1;
        groups.set(key, counts);
    }
    return [...groups.entries()].map(([component, counts]) => ({
        component,
        counts,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
    }));
}

/** Resource types worth a box in the diagram, with how to label them. */
const KEY_TYPES: Record<string, (rs: Resource[], component?: Resource) => string> = {
    "aws:ec2/vpc:Vpc": (rs) => `VPC ${rs[0].properties.cidrBlock ?? ""}`,
    "aws:ec2/subnet:Subnet": (rs) => `${rs.length} subnets`,
    "aws:ec2/natGateway:NatGateway": (rs) => `${rs.length} NAT gateway${rs.length > 1 ? "s" : ""}`,
    "aws:ec2/vpcEndpoint:VpcEndpoint": () => "S3 gateway endpoint",
    "eks:index:Cluster": (rs) => `EKS ${rs[0].properties.version ?? ""}`,
    "eks:index:ManagedNodeGroup": (rs) => {
        const p = rs[0].properties as any;
        return `node group ${p.scalingConfig?.desiredSize ?? "?"}x ${(p.instanceTypes ?? []).join(",")} (max ${p.scalingConfig?.maxSize ?? "?"})`;
    },
    "aws:kinesis/stream:Stream": (rs) => `Kinesis stream${rs[0].properties.shardCount ? ` ${rs[0].properties.shardCount} shards` : " on-demand"}`,
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": () => "Firehose",
    "aws:s3/bucket:Bucket": (rs, component) => `S3: ${rs.map((r) => shortName(r, component)).sort().join(", ")}`,
    // Charts are vendored archives (./charts/<name>-<version>.tgz): shown as name and version.
    "kubernetes:helm.sh/v3:Release": (rs) => names(rs, (p) => String(p.chart).replace(/^.*\//, "").replace(/-(\d[^-]*)\.tgz$/, " $1")),
    "kubernetes:core/v1:Namespace": (rs) => `namespaces: ${names(rs, (p) => p.metadata?.name)}`,
    "kubernetes:apps/v1:Deployment": (rs) => `deployments: ${names(rs, (p) => p.metadata?.name)}`,
    "aws:cloudwatch/metricAlarm:MetricAlarm": (rs) => `${rs.length} CloudWatch alarms`,
};

/** A child's logical name without its component's name in front: `lake` for `iot-platform-prod-data-lake`. */
function shortName(r: Resource, component: Resource | undefined): string {
    return component && r.name.startsWith(`${component.name}-`) ? r.name.slice(component.name.length + 1) : r.name;
}

function names(rs: Resource[], pick: (props: any) => unknown): string {
    return rs.map((r) => String(pick(r.properties) ?? r.name)).sort().join(", ");
}

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");

export function mermaidDiagram(resources: readonly Resource[]): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const boxes = new Map<string, Map<string, Resource[]>>();
    for (const r of resources) {
        if (!KEY_TYPES[r.type]) {
            continue;
        }
        const top = topComponent(r, byUrn);
        const key = top ? top.urn : "";
        const byType = boxes.get(key) ?? new Map<string, Resource[]>();
        byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
        boxes.set(key, byType);
    }
    const lines = ["flowchart LR", "  devices((IoT devices))", "  users((users))"];
    const nodeOf = new Map<string, string>();
    // Registration order depends on when each resource's inputs resolve; sort so the diagram is stable.
    const typeOrder = Object.keys(KEY_TYPES);
    const ordered = [...boxes.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([urn, byType]) => [urn, new Map([...byType.entries()].sort(([x], [y]) => typeOrder.indexOf(x) - typeOrder.indexOf(y)))] as const);
    for (const [componentUrn, byType] of ordered) {
        const component = byUrn.get(componentUrn);
        const indent = component ? "    " : "  ";
        if (component) {
            lines.push(`  subgraph ${id(component.name)}["${component.type.split(":").pop()} ${component.name}"]`);
        }
        for (const [type, rs] of byType) {
            const node = id(`${component?.name ?? "top"}_${type.split(":").pop()}`);
            nodeOf.set(type, node);
            lines.push(`${indent}${node}["${KEY_TYPES[type](rs, component).replace(/"/g, "'")}"]`);
        }
        if (component) {
            lines.push("  end");
        }
    }
    const edge = (from: string | undefined, to: string | undefined, label: string) => {
        if (from && to) {
            lines.push(`  ${from} -->|${label}| ${to}`);
        }
    };
    edge("devices", nodeOf.get("kubernetes:apps/v1:Deployment") ?? nodeOf.get("aws:kinesis/stream:Stream"), "telemetry");
    edge(nodeOf.get("kubernetes:apps/v1:Deployment"), nodeOf.get("aws:kinesis/stream:Stream"), "put records");
    edge(nodeOf.get("aws:kinesis/stream:Stream"), nodeOf.get("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"), "read");
    edge(nodeOf.get("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"), nodeOf.get("aws:s3/bucket:Bucket"), "GZIP, date partitions");
    edge(nodeOf.get("aws:s3/bucket:Bucket"), nodeOf.get("kubernetes:apps/v1:Deployment"), "large fetches");
    edge("users", nodeOf.get("kubernetes:apps/v1:Deployment") ?? nodeOf.get("eks:index:Cluster"), "dashboard");
    edge(nodeOf.get("eks:index:ManagedNodeGroup"), nodeOf.get("eks:index:Cluster"), "joins");
    edge(nodeOf.get("eks:index:Cluster"), nodeOf.get("aws:ec2/subnet:Subnet"), "private subnets");
    return lines.join("\n");
}
