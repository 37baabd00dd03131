// Monthly cost model and the budget policy.
//
// Assumptions (also in docs/policy-pack.md, "Cost-estimation assumptions"):
// - 730 hours a month; on-demand list prices from pricing.ts; spot capacity is priced at on-demand.
// - expected = desired node counts; worst case = every node group / autoscaling group at max size,
//   multi-type groups at their most expensive type, and usage at the ingest profile's peak rate
//   sustained all month (averages x peakFactor).
// - Usage comes only from the ingest profile tagged on each Kinesis stream. A Kinesis record carries
//   recordsPerKinesisRecord device messages (1 when the tag is absent). Kinesis PUT payload units
//   are records x ceil(record bytes / 25 KB); on-demand ingest rounds records up to 1 KB; Firehose
//   ingest rounds each Kinesis record up to 5 KB; S3 Standard storage is one month of raw,
//   uncompressed ingest (the first month's figure; it grows by the same amount every month unless
//   lifecycle rules expire data), charged on the Firehose that delivers it. 1 GB = 2^30 bytes.
// - Each CloudWatch log group is assumed to ingest ASSUMED_LOG_GB_PER_GROUP a month.
// - Not modelled: NAT data processing, load balancer LCUs, data transfer, requests, snapshots, and the
//   storage of S3 server access logs (one small record per request, expired by lifecycle).
// - A cost input unknown during a preview is bounded where it can be: the worst case uses the highest
//   price the input can lead to and the expected figure the most likely one, and the line says so
//   (`bound`). An unknown input with no bound is reported like an unpriced resource, so the worst case
//   is an upper bound in every shape the pack runs in (mocks, first preview, update preview).
// A type that is neither priced here nor listed as free is reported, never priced at zero.
import { StackValidationPolicy } from "@pulumi/policy";
import { StrictConfigSchema } from "./lib/config";
import { configuredStackCheck } from "./lib/policy";
import { fromPolicyResources, StackGraph, StackResource } from "./lib/graph";
import { configLimit } from "./lib/limits";
import { formatUsd as usd } from "./lib/money";
import { at, isUnknown, listAt, toNumber, UNKNOWN, Unknown } from "./lib/values";
import { eksSupportOn } from "./eksVersions";
import { collectNodeGroups, NodeGroupCapacity, shownByChildren, T } from "./nodes";
import { PRICE_TABLE, PriceTable, RegionPrices } from "./pricing";

export const ASSUMED_LOG_GB_PER_GROUP = 10;
const GIB = 1024 ** 3;
const MINUTES_PER_HOUR = 60;

export interface CostLine {
    urn: string; name: string; type: string; item: string; monthlyUsd: number;
    /** Set when an input of this line is unknown during preview: which one, and what the figures assume. */
    bound?: string;
    /** EC2 instance-hours or the EKS control plane: what a cost baseline of instances is compared with. */
    compute?: boolean;
}
export interface Estimate { lines: CostLine[]; totalUsd: number }
export interface CostProblem { urn: string; name: string; type: string; message: string }
export interface CostEstimate {
    expected: Estimate;
    worstCase: Estimate;
    /**
     * Resources that cost money but could not be priced (missing price, region, usage profile, or an
     * input unknown during preview for which no upper bound exists).
     */
    unpriced: CostProblem[];
}

/** Types with no charge of their own (or charged through another resource, as noted). */
export const FREE_TYPES: readonly string[] = [
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/route:Route",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway", "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/defaultRouteTable:DefaultRouteTable", "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/networkAcl:NetworkAcl", "aws:ec2/networkAclRule:NetworkAclRule",
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions", "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation",
    // Flow logs are charged as log ingestion on their log group.
    "aws:ec2/flowLog:FlowLog",
    // Instances are priced on the node group / autoscaling group / instance that uses the template.
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:eks/addon:Addon", "aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation", "aws:eks/identityProviderConfig:IdentityProviderConfig",
    "aws:kms/alias:Alias",
    // Bucket storage is priced on the Firehose that delivers into the bucket (server access logs are
    // not modelled, see above); the configuration sub-resources, logging included, have no charge of their own.
    "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketLoggingV2:BucketLoggingV2", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:cloudwatch/logStream:LogStream",
    // SNS has no fixed charge; alarm notifications stay far inside the free publish/delivery tier.
    "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription",
    "pulumi:pulumi:Stack",
];

/**
 * Prefixes of free types: IAM; providers; Kubernetes objects and Helm releases (they run on nodes
 * priced already); this program's own component resources (their children are priced); random;
 * PagerDuty objects (billed per PagerDuty user, outside the AWS bill);
 * @pulumi/eks types other than the cluster and node groups priced above (components whose children
 * are priced, and internal helpers such as its VpcCni resource, which have no charge).
 */
export const FREE_TYPE_PREFIXES: readonly string[] = ["aws:iam/", "pulumi:providers:", "kubernetes:", "iot:", "random:", "eks:index:", "pagerduty:"];

export function isFreeType(type: string): boolean {
    return FREE_TYPES.includes(type) || FREE_TYPE_PREFIXES.some(p => type.startsWith(p));
}

export interface IngestProfile {
    devices: number;
    messagesPerDevicePerMinute: number;
    averageMessageBytes: number;
    peakFactor: number;
    /** Device messages per Kinesis record. */
    recordsPerKinesisRecord: number;
}

export const INGEST_TAGS = {
    devices: "iot:ingest:devices",
    messagesPerDevicePerMinute: "iot:ingest:messagesPerDevicePerMinute",
    averageMessageBytes: "iot:ingest:averageMessageBytes",
    peakFactor: "iot:ingest:peakFactor",
    recordsPerKinesisRecord: "iot:ingest:recordsPerKinesisRecord",
} as const;

/** Tags a stream may leave out, with the value that means. */
const INGEST_TAG_DEFAULTS: Partial<IngestProfile> = { recordsPerKinesisRecord: 1 };

/** Reads the ingest profile from a stream's tags; a string is the reason it is missing or invalid. */
export function readIngestProfile(stream: StackResource): IngestProfile | Unknown | string {
    const profile: Partial<IngestProfile> = {};
    const bad: string[] = [];
    for (const [field, tag] of Object.entries(INGEST_TAGS) as [keyof IngestProfile, string][]) {
        const v = toNumber(at(stream.props, "tags", tag)) ?? INGEST_TAG_DEFAULTS[field];
        if (v === UNKNOWN) {
            return UNKNOWN;
        }
        if (v === undefined || v < 0 || ((field === "peakFactor" || field === "recordsPerKinesisRecord") && v < 1)) {
            bad.push(tag);
        } else {
            profile[field] = v;
        }
    }
    return bad.length > 0
        ? `Kinesis stream '${stream.name}' has no valid ingest profile tag(s) ${bad.join(", ")} (peakFactor and recordsPerKinesisRecord must be >= 1)`
        : profile as IngestProfile;
}

/** Monthly volumes at the profile's average rate; `records` are Kinesis records. */
export function monthlyUsage(p: IngestProfile, hoursPerMonth: number) {
    const messages = p.devices * p.messagesPerDevicePerMinute * MINUTES_PER_HOUR * hoursPerMonth;
    const records = messages / p.recordsPerKinesisRecord;
    const recordBytes = p.averageMessageBytes * p.recordsPerKinesisRecord;
    const roundedBytes = (unit: number) => records * Math.ceil(recordBytes / unit) * unit;
    return {
        records,
        putPayloadUnits: records * Math.ceil(recordBytes / (25 * 1024)),
        onDemandIngestGb: roundedBytes(1024) / GIB,
        firehoseIngestGb: roundedBytes(5 * 1024) / GIB,
        rawGb: (messages * p.averageMessageBytes) / GIB,
    };
}

/** Region a resource pins explicitly (per-resource `region`, its provider's region, or its AZ). */
export function explicitRegion(r: StackResource): string | undefined {
    const region = at(r.props, "region");
    if (typeof region === "string" && !isUnknown(region)) {
        return region;
    }
    if (r.providerRegion) {
        return r.providerRegion;
    }
    const az = at(r.props, "availabilityZone");
    return typeof az === "string" && !isUnknown(az) ? az.replace(/[a-z]$/u, "") : undefined;
}

/** What a line is besides its price: compute (compared with a cost baseline), priced at a bound. */
interface LineFacts { compute?: boolean; bound?: string }

interface Pricer {
    prices: RegionPrices;
    table: PriceTable;
    /** The day priced: whether a Kubernetes version is past standard support depends on it. */
    day: Date;
    graph: StackGraph;
    line(r: StackResource, item: string, expectedUsd: number, worstUsd?: number, about?: LineFacts): void;
    problem(r: StackResource, message: string): void;
    /** An input unknown during preview that no price bounds: reported as unpriced. */
    unbounded(r: StackResource, what: string): void;
}

function priceNodeGroup(g: NodeGroupCapacity, c: Pricer): void {
    const r = g.resource;
    if (g.instanceTypes === UNKNOWN || g.max === UNKNOWN) {
        c.unbounded(r, "instance type or maximum node count");
        return;
    }
    // The maximum bounds an unknown desired size; the group starts at its minimum when that is known.
    const desired = g.desired !== UNKNOWN ? g.desired : g.min !== UNKNOWN ? g.min : g.max;
    const bound = g.desired !== UNKNOWN ? undefined
        : `desired size unknown during preview: expected at ${g.min !== UNKNOWN ? "the minimum" : "the maximum"}, worst case at the maximum`;
    const hourly = g.instanceTypes.map(t => ({ t, price: c.prices.ec2InstanceHour[t] }));
    const missing = hourly.filter(h => h.price === undefined).map(h => h.t);
    if (missing.length > 0) {
        c.problem(r, `instance type(s) ${missing.join(", ")} of '${r.name}' are not in the instance catalogue (policy/instances.ts)`);
        return;
    }
    if (hourly.length === 0) {
        return;
    }
    const first = hourly[0];
    const dearest = hourly.reduce((a, b) => (b.price > a.price ? b : a));
    const h = c.table.hoursPerMonth;
    c.line(r, `${first.t === dearest.t ? first.t : `${first.t} (worst case ${dearest.t})`} x ${desired} (max ${g.max})`,
        desired * first.price * h, g.max * dearest.price * h, { compute: true, bound });
    if (g.rootVolume === UNKNOWN) {
        c.unbounded(r, "root volume");
        return;
    }
    const gbMonth = c.prices.ebsGbMonth[g.rootVolume.type];
    if (gbMonth === undefined) {
        c.problem(r, `EBS volume type '${g.rootVolume.type}' of '${r.name}' is not in the price table`);
        return;
    }
    const perNode = g.rootVolume.sizeGb * gbMonth;
    c.line(r, `EBS ${g.rootVolume.type} ${g.rootVolume.sizeGb} GB root volume per node`, desired * perNode, g.max * perNode, { bound });
}

function priceControlPlane(r: StackResource, c: Pricer): void {
    const version = at(r.props, "version");
    const supportType = at(r.props, "upgradePolicy", "supportType");
    const { standard, extended } = c.prices.eksControlPlaneHour;
    const h = c.table.hoursPerMonth;
    const item = (rate: string) => `EKS control plane (${rate} support)`;
    // STANDARD opts out of extended support (AWS upgrades the cluster at the end of standard support
    // instead), so the standard rate applies whatever the version.
    if (supportType === "STANDARD") {
        c.line(r, item("standard"), standard * h, standard * h, { compute: true });
        return;
    }
    if (isUnknown(version)) {
        c.line(r, item("standard; worst case extended"), standard * h, extended * h, { compute: true,
            bound: "Kubernetes version unknown during preview: expected at the standard rate, worst case at the extended-support rate" });
        return;
    }
    // Absent version means @pulumi/eks's and EKS's current default, which is in standard support.
    // A version the calendar does not know yet is newer than it, so in standard support.
    const support = typeof version === "string" ? eksSupportOn(version, c.day) : { phase: "unknown" as const };
    if (support.phase === "unknown" || support.phase === "standard") {
        c.line(r, item("standard"), standard * h, standard * h, { compute: true });
        return;
    }
    if (isUnknown(supportType)) {
        // EXTENDED is the EKS default upgrade policy, so it is both the likely and the highest rate.
        c.line(r, item("extended"), extended * h, extended * h, { compute: true,
            bound: `support type unknown during preview: version ${String(version)} is past standard support since ${support.dates.standardSupportEnds}, priced at the extended-support rate (the EKS default)` });
        return;
    }
    c.line(r, item("extended"), extended * h, extended * h, { compute: true });
}

function profileFor(stream: StackResource, c: Pricer): IngestProfile | undefined {
    const p = readIngestProfile(stream);
    if (p === UNKNOWN) {
        c.unbounded(stream, "ingest profile tags");
        return undefined;
    }
    if (typeof p === "string") {
        c.problem(stream, p);
        return undefined;
    }
    return p;
}

function priceStream(r: StackResource, c: Pricer): void {
    const mode = at(r.props, "streamModeDetails", "streamMode");
    if (isUnknown(mode)) {
        c.unbounded(r, "stream mode");
        return;
    }
    const h = c.table.hoursPerMonth;
    const k = c.prices.kinesis;
    const profile = profileFor(r, c);
    if (mode === "ON_DEMAND") {
        c.line(r, "Kinesis on-demand stream-hours", k.onDemandStreamHour * h);
        if (profile) {
            const gb = monthlyUsage(profile, h).onDemandIngestGb;
            c.line(r, `Kinesis on-demand ingest ${gb.toFixed(0)} GB`, gb * k.onDemandIngestPerGb,
                gb * profile.peakFactor * k.onDemandIngestPerGb);
        }
        return;
    }
    const shards = toNumber(at(r.props, "shardCount"));
    if (shards === UNKNOWN) {
        c.unbounded(r, "shard count");
    } else {
        c.line(r, `Kinesis ${shards ?? 0} shard(s)`, (shards ?? 0) * k.shardHour * h);
    }
    if (profile) {
        const millions = monthlyUsage(profile, h).putPayloadUnits / 1e6;
        c.line(r, `Kinesis PUT payload units ${millions.toFixed(0)}M`, millions * k.putPayloadUnitsPerMillion,
            millions * profile.peakFactor * k.putPayloadUnitsPerMillion);
    }
}

function priceFirehose(r: StackResource, c: Pricer): void {
    const arn = at(r.props, "kinesisSourceConfiguration", "kinesisStreamArn");
    let stream = arn === undefined ? undefined
        : c.graph.resolve(arn, ["aws:kinesis/stream:Stream"], r, "kinesisSourceConfiguration");
    const streams = c.graph.ofType("aws:kinesis/stream:Stream");
    if ((stream === undefined || stream === UNKNOWN) && arn !== undefined && streams.length === 1) {
        stream = streams[0];
    }
    if (stream === UNKNOWN) {
        c.unbounded(r, "source stream");
        return;
    }
    if (stream === undefined) {
        c.problem(r, `Firehose '${r.name}' has no Kinesis source stream in this stack with an ingest profile, so its ingest and S3 storage cannot be estimated`);
        return;
    }
    const profile = profileFor(stream, c);
    if (!profile) {
        return;
    }
    const u = monthlyUsage(profile, c.table.hoursPerMonth);
    const pf = profile.peakFactor;
    c.line(r, `Firehose ingest ${u.firehoseIngestGb.toFixed(0)} GB (5 KB rounding)`,
        u.firehoseIngestGb * c.prices.firehoseIngestPerGb, u.firehoseIngestGb * pf * c.prices.firehoseIngestPerGb);
    c.line(r, `S3 Standard ${u.rawGb.toFixed(0)} GB-month (one month of raw ingest)`,
        u.rawGb * c.prices.s3StandardGbMonth, u.rawGb * pf * c.prices.s3StandardGbMonth);
}

/** Annotation in which a scheduled job declares the AWS requests it makes a month (the data-path canary does). */
export const MONTHLY_USAGE_ANNOTATION = "iot.platform/monthly-usage";

/**
 * A CronJob runs on nodes priced already; what it costs on its own is the AWS usage it declares:
 * Kinesis records (one PUT payload unit each), Firehose records (5 KB each) and S3 LIST and GET requests.
 */
function priceDeclaredUsage(r: StackResource, c: Pricer): void {
    const text = at(r.props, "metadata", "annotations", MONTHLY_USAGE_ANNOTATION);
    if (text === undefined) {
        return;
    }
    const usage = typeof text === "string" ? JSON.parse(text) as Record<string, number> : {};
    const p = c.prices;
    const usd = (usage.kinesisRecords ?? 0) / 1e6 * p.kinesis.putPayloadUnitsPerMillion
        + (usage.firehoseRecords ?? 0) * 5 * 1024 / GIB * p.firehoseIngestPerGb
        + (usage.s3ListRequests ?? 0) / 1000 * p.s3RequestsPerThousand.list
        + (usage.s3GetRequests ?? 0) / 1000 * p.s3RequestsPerThousand.get;
    c.line(r, `declared usage (${Object.entries(usage).map(([k, v]) => `${k} ${v}`).join(", ")})`, usd);
}

function priceResource(r: StackResource, c: Pricer): void {
    const h = c.table.hoursPerMonth;
    const p = c.prices;
    switch (r.type) {
        case T.eksCluster:
        case T.awsEksCluster:
            priceControlPlane(r, c);
            return;
        case T.awsNodeGroup: case T.managedNodeGroup: case T.nodeGroup: case T.nodeGroupV2:
        case T.autoscalingGroup: case T.instance: case T.cloudFormationStack:
            return; // priced from collectNodeGroups (which reports what it cannot size)
        case "aws:ec2/natGateway:NatGateway":
            c.line(r, "NAT gateway hours", p.natGatewayHour * h);
            return;
        case "aws:ec2/eip:Eip":
            c.line(r, "public IPv4 address", p.publicIpv4Hour * h);
            return;
        case "aws:lb/loadBalancer:LoadBalancer":
        case "aws:alb/loadBalancer:LoadBalancer": {
            const kind = at(r.props, "loadBalancerType") ?? "application";
            if (kind === UNKNOWN) {
                const hourly = Math.max(p.loadBalancerHour.application, p.loadBalancerHour.network);
                c.line(r, "load balancer hours", hourly * h, hourly * h,
                    { bound: "load balancer type unknown during preview: priced at the dearer of application and network" });
            } else if (kind === "application" || kind === "network") {
                c.line(r, `${kind} load balancer hours`, p.loadBalancerHour[kind] * h);
            } else {
                c.problem(r, `load balancer type '${String(kind)}' of '${r.name}' is not in the price table`);
            }
            return;
        }
        case "aws:ec2/vpcEndpoint:VpcEndpoint": {
            const kind = at(r.props, "vpcEndpointType") ?? "Gateway";
            const subnets = listAt(r.props, "subnetIds");
            if (kind === UNKNOWN || (kind === "Interface" && subnets === UNKNOWN)) {
                c.unbounded(r, "endpoint type / subnets");
            } else if (kind === "Interface") {
                const azs = Math.max(1, Array.isArray(subnets) ? subnets.length : 0);
                c.line(r, `interface endpoint x ${azs} AZ`, azs * p.interfaceEndpointAzHour * h);
            } else if (kind !== "Gateway") {
                c.problem(r, `VPC endpoint type '${String(kind)}' of '${r.name}' is not in the price table`);
            }
            return;
        }
        case "aws:ebs/volume:Volume": {
            const size = toNumber(at(r.props, "size"));
            const type = at(r.props, "type") ?? "gp2";
            if (size === UNKNOWN || type === UNKNOWN) {
                c.unbounded(r, "volume size / type");
            } else if (typeof type !== "string" || p.ebsGbMonth[type] === undefined) {
                c.problem(r, `EBS volume type '${String(type)}' of '${r.name}' is not in the price table`);
            } else {
                c.line(r, `EBS ${type} ${size ?? 0} GB`, (size ?? 0) * p.ebsGbMonth[type]);
            }
            return;
        }
        case "aws:kinesis/stream:Stream":
            priceStream(r, c);
            return;
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            priceFirehose(r, c);
            return;
        case "aws:kms/key:Key":
        case "aws:kms/replicaKey:ReplicaKey":
            c.line(r, "KMS key", p.kmsKeyMonth);
            return;
        case "aws:cloudwatch/logGroup:LogGroup":
            c.line(r, `log ingestion (assumed ${ASSUMED_LOG_GB_PER_GROUP} GB)`, ASSUMED_LOG_GB_PER_GROUP * p.cloudwatchLogsIngestPerGb);
            return;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            c.line(r, "CloudWatch alarm", p.cloudwatchAlarmMonth);
            return;
        case "aws:secretsmanager/secret:Secret":
            c.line(r, "Secrets Manager secret", p.secretsManagerSecretMonth);
            return;
        case "kubernetes:batch/v1:CronJob":
            priceDeclaredUsage(r, c);
            return;
    }
    if (!isFreeType(r.type)) {
        c.problem(r, `resource type ${r.type} ('${r.name}') is neither in the price table nor listed as free; add it to policy/pricing.ts and policy/cost.ts, or to FREE_TYPES if it has no charge`);
    }
}

function total(lines: CostLine[]): Estimate {
    return { lines, totalUsd: lines.reduce((s, l) => s + l.monthlyUsd, 0) };
}

/** Expected and worst-case monthly cost of `resources` at `region`'s list prices. */
export function estimateMonthlyCost(resources: readonly StackResource[], table: PriceTable, region: string, day: Date): CostEstimate {
    const expected: CostLine[] = [];
    const worst: CostLine[] = [];
    const unpriced: CostProblem[] = [];
    const prices = table.regions[region];
    if (!prices) {
        unpriced.push({ urn: "", name: "", type: "", message: `region ${region} is not in price table ${table.version} (has ${Object.keys(table.regions).join(", ")})` });
        return { expected: total([]), worstCase: total([]), unpriced };
    }
    const graph = new StackGraph(resources);
    const c: Pricer = {
        prices,
        table,
        day,
        graph,
        line: (r, item, e, w = e, about = {}) => {
            const line = { urn: r.urn, name: r.name, type: r.type, item, ...(about.compute ? { compute: true } : {}), ...(about.bound === undefined ? {} : { bound: about.bound }) };
            expected.push({ ...line, monthlyUsd: e });
            worst.push({ ...line, monthlyUsd: w });
        },
        problem: (r, message) => unpriced.push({ urn: r.urn, name: r.name, type: r.type, message }),
        unbounded: (r, what) => unpriced.push({
            urn: r.urn, name: r.name, type: r.type,
            message: `${what} of '${r.name}' (${r.type}) is unknown during preview and no price bounds it, so the worst case would not be an upper bound`,
        }),
    };
    for (const r of resources) {
        // A real preview shows an @pulumi/eks component's children: they are priced, not the component.
        if (shownByChildren(graph, r)) {
            continue;
        }
        const pinned = explicitRegion(r);
        if (pinned !== undefined && pinned !== region) {
            c.problem(r, `'${r.name}' is in region ${pinned}, but the policy config prices region ${region}`);
            continue;
        }
        priceResource(r, c);
    }
    const { groups, problems } = collectNodeGroups(graph);
    for (const g of groups) {
        priceNodeGroup(g, c);
    }
    for (const p of problems) {
        c.problem(p.resource, p.message);
    }
    return { expected: total(expected), worstCase: total(worst), unpriced };
}

/** The breakdown printed in the budget violation (and by any offline check). */
export function formatBreakdown(e: Estimate, top = 8): string {
    const byAmount = [...e.lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd);
    const shown = byAmount.slice(0, top).map(l => `${l.name}: ${l.item} ${usd(l.monthlyUsd)}`);
    const rest = byAmount.slice(top).reduce((s, l) => s + l.monthlyUsd, 0);
    if (byAmount.length > top) {
        shown.push(`${byAmount.length - top} more line(s) ${usd(rest)}`);
    }
    return shown.join("; ");
}

/** The lines priced at a bound because an input is unknown during preview, with why; "" when none. */
export function formatBounded(e: Estimate): string {
    return e.lines.filter(l => l.bound !== undefined).map(l => `${l.name}: ${l.item} ${usd(l.monthlyUsd)} (${l.bound})`).join("; ");
}

export interface BudgetConfig { region: string; monthlyBudgetUsd: number }

export const budgetConfigSchema: StrictConfigSchema = {
    properties: {
        region: { type: "string", enum: Object.keys(PRICE_TABLE.regions), description: "AWS region the stack deploys to; prices come from this region" },
        monthlyBudgetUsd: { type: "number", minimum: 0, description: "Maximum worst-case monthly cost in USD" },
    },
    required: ["region", "monthlyBudgetUsd"],
    additionalProperties: false,
};

/** `clock` gives the day priced (the EKS support phase of the cluster's version depends on it). */
export function monthlyBudgetPolicy(table: PriceTable = PRICE_TABLE, clock: () => Date = () => new Date()): StackValidationPolicy {
    const name = "monthly-budget";
    return configuredStackCheck<BudgetConfig>({
        name,
        description: "The worst-case monthly cost estimate (all node groups at max, peak ingest) must fit the environment's budget; every resource that costs money must be priced.",
        configSchema: budgetConfigSchema,
        check: (config, args, reportViolation) => {
            const estimate = estimateMonthlyCost(fromPolicyResources(args.resources), table, config.region, clock());
            for (const p of estimate.unpriced) {
                reportViolation(`Cost estimate incomplete: ${p.message}.`, p.urn || undefined);
            }
            const worst = estimate.worstCase.totalUsd;
            if (worst > config.monthlyBudgetUsd) {
                const bounded = formatBounded(estimate.worstCase);
                reportViolation(
                    `Worst-case monthly cost ${usd(worst)} exceeds the budget of ${usd(config.monthlyBudgetUsd)} ${configLimit(name, "monthlyBudgetUsd")}; ` +
                    `expected ${usd(estimate.expected.totalUsd)}, ${config.region} list prices ${table.version} as of ${table.asOf}. ` +
                    `Top worst-case lines: ${formatBreakdown(estimate.worstCase)}. Total ${usd(worst)}.` +
                    (bounded ? ` Bounded (unknown during preview): ${bounded}.` : ""),
                );
            }
        },
    });
}
