// Test harness: builds the args @pulumi/policy passes to policies (props behind its unknown-checking
// proxy, parents linked as objects, config without enforcementLevel) and collects reportViolation calls.
import {
    PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
    unknownCheckingProxy,
} from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { StackResource } from "../../policy/lib/graph";
import { UNKNOWN_STRING } from "../../policy/lib/values";

export const UNKNOWN = UNKNOWN_STRING;

/** The day the cost model prices at in tests that call it directly: 1.34 is still in standard support. */
export const PRICING_DAY = new Date("2026-12-01T12:00:00Z");
export type Env = "prod" | "staging";

export function packConfig(env: Env): Record<string, Record<string, unknown>> {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "../../policy/config", `${env}.json`), "utf8"));
}

/** The config one policy sees through getConfig(): its properties without enforcementLevel. */
export function policyConfig(env: Env, policyName: string): Record<string, unknown> {
    const { enforcementLevel: _ignored, ...rest } = packConfig(env)[policyName] ?? {};
    return rest;
}

const opts = (parent?: string) => ({
    protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], parent,
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
});

function notApplicable(reason?: string): never {
    throw new Error(`notApplicable: ${reason}`);
}

export function runResourcePolicy(
    policy: ResourceValidationPolicy,
    r: { type: string; props: Record<string, unknown>; name?: string; parent?: string },
    config: Record<string, unknown> = {},
): string[] {
    const violations: string[] = [];
    const name = r.name ?? "res";
    const args = {
        type: r.type,
        props: unknownCheckingProxy(structuredClone(r.props)),
        urn: urn(r.type, name, r.parent),
        name,
        opts: opts(r.parent),
        stackTags: new Map(),
        getConfig: () => config,
        notApplicable,
    } as unknown as ResourceValidationArgs;
    const validations = [policy.validateResource ?? []].flat();
    for (const v of validations) {
        void v(args, message => violations.push(message));
    }
    return violations;
}

export interface Violation { message: string; urn?: string }

export function runStackPolicy(
    policy: StackValidationPolicy, resources: readonly StackResource[], config: Record<string, unknown> = {},
): Violation[] {
    const violations: Violation[] = [];
    const byUrn = new Map<string, PolicyResource>();
    const policyResources = resources.map(r => {
        const pr = {
            type: r.type, name: r.name, urn: r.urn,
            props: unknownCheckingProxy(structuredClone(r.props)),
            opts: opts(r.parent),
            dependencies: [] as PolicyResource[],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = policyResources[i] as { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        pr.parent = r.parent ? byUrn.get(r.parent) : undefined;
        pr.dependencies = (r.dependencies ?? []).map(u => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = urns.map(u => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        }
    });
    const args: StackValidationArgs = { resources: policyResources, stackTags: new Map(), getConfig: <T>() => config as T, notApplicable };
    void policy.validateStack(args, (message, u) => violations.push({ message, urn: u }));
    return violations;
}

export const messages = (vs: Violation[]) => vs.map(v => v.message);

/** URN as the engine writes it: the type chain of the ancestors, then the resource type. */
export function urn(type: string, name: string, parentUrn?: string): string {
    const chain = parentUrn ? `${parentUrn.split("::")[2]}$${type}` : type;
    return `urn:pulumi:test::iot-platform::${chain}::${name}`;
}

export function res(
    type: string, name: string, props: Record<string, unknown>, parent?: StackResource,
    extra: Partial<StackResource> = {},
): StackResource {
    return { type, name, urn: urn(type, name, parent?.urn), props, parent: parent?.urn, ...extra };
}

export interface StackShape {
    env: Env;
    instanceType: string;
    nodes: { min: number; desired: number; max: number };
    natGateways: number;
    shards: number;
    devices: number;
    /**
     * Shape the stack as a real `pulumi preview` shows it: @pulumi/eks components registered by the
     * pulumi-eks provider with no inputs (their outputs are opaque) and their children visible, with the
     * references' property dependencies recorded. "first": the first preview of a new stack, where ids,
     * ARNs and computed outputs of everything the stack creates are unknown; "update": a later preview,
     * where the state knows them. Absent: the components with their inputs, as under mocks.
     */
    realPreview?: "first" | "update";
}

export const PROD_SHAPE: StackShape = { env: "prod", instanceType: "m6a.large", nodes: { min: 3, desired: 3, max: 6 }, natGateways: 3, shards: 4, devices: 10000 };
export const STAGING_SHAPE: StackShape = { env: "staging", instanceType: "t3.large", nodes: { min: 2, desired: 2, max: 3 }, natGateways: 1, shards: 1, devices: 500 };

/** A resource set shaped like the program's stacks (components as under mocks, ids as mocks return them). */
export function platformStack(s: StackShape): StackResource[] {
    const region = s.env === "prod" ? "us-east-1" : "us-east-2";
    const tags = { Environment: s.env, Project: "iot-platform" };
    const out: StackResource[] = [];
    const add = (r: StackResource) => (out.push(r), r);
    const stack = add(res("pulumi:pulumi:Stack", `iot-platform-${s.env}`, {}));
    const network = add(res("iot:platform:Network", "net", {}, stack));
    add(res("aws:ec2/vpc:Vpc", "net-vpc", { id: "vpc-1", cidrBlock: "10.0.0.0/16", tags }, network));
    const azs = ["a", "b", "c"].map(z => `${region}${z}`);
    const privateSubnets = azs.map((az, i) => add(res("aws:ec2/subnet:Subnet", `net-private-${i}`,
        { id: `subnet-private-${i}`, availabilityZone: az, mapPublicIpOnLaunch: false, tags: { ...tags, "kubernetes.io/role/internal-elb": "1" } }, network)));
    azs.forEach((az, i) => add(res("aws:ec2/subnet:Subnet", `net-public-${i}`,
        { id: `subnet-public-${i}`, availabilityZone: az, mapPublicIpOnLaunch: true, tags: { ...tags, "kubernetes.io/role/elb": "1" } }, network)));
    for (let i = 0; i < s.natGateways; i++) {
        const eip = add(res("aws:ec2/eip:Eip", `net-nat-${i}`, { id: `eipalloc-${i}`, domain: "vpc", tags }, network));
        const subnet = out.find(r => r.name === `net-public-${i}`)!;
        add(res("aws:ec2/natGateway:NatGateway", `net-nat-${i}`, { allocationId: eip.props.id, subnetId: subnet.props.id, tags }, network,
            s.realPreview ? { propertyDependencies: { allocationId: [eip.urn], subnetId: [subnet.urn] }, dependencies: [eip.urn, subnet.urn] } : {}));
    }
    add(res("aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3", { serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway", tags }, network));
    add(res("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs", { retentionInDays: 90, tags }, network));
    add(res("aws:ec2/flowLog:FlowLog", "net-flow-log", { trafficType: "ALL", tags }, network));

    const cluster = add(res("iot:platform:Cluster", "cluster", {}, stack));
    const secretsKey = add(res("aws:kms/key:Key", "cluster-secrets", { enableKeyRotation: true, tags, arn: "arn:aws:kms:key/secrets" }, cluster));
    add(res("aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane", { retentionInDays: 90, tags }, cluster));
    const logTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
    const launchTemplate = add(res("aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes", {
        id: "lt-nodes",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3" } }],
        tags,
    }, cluster));
    const scalingConfig = { minSize: s.nodes.min, desiredSize: s.nodes.desired, maxSize: s.nodes.max };
    const clusterName = `iot-platform-${s.env}`;
    let eksComponent: StackResource;
    let nodeGroupComponent: StackResource;
    if (!s.realPreview) {
        eksComponent = add(res("eks:index:Cluster", "cluster-eks", {
            name: clusterName, version: "1.35", skipDefaultNodeGroup: true, endpointPublicAccess: false,
            encryptionConfigKeyArn: "arn:aws:kms:key/secrets", enabledClusterLogTypes: logTypes,
            corednsAddonOptions: { enabled: false }, kubeProxyAddonOptions: { enabled: true }, tags,
        }, cluster));
        nodeGroupComponent = add(res("eks:index:ManagedNodeGroup", "cluster-nodes", {
            subnetIds: privateSubnets.map(p => p.props.id), instanceTypes: [s.instanceType], amiType: "AL2023_x86_64_STANDARD", capacityType: "ON_DEMAND",
            scalingConfig, launchTemplate: { id: "lt-nodes", version: "1" }, tags,
        }, cluster, { dependencies: [eksComponent.urn] }));
    } else {
        // What pulumi-eks v4.3.0 creates for this program's eks.Cluster (skipDefaultNodeGroup, API
        // authentication mode, coredns add-on disabled, OIDC provider, default security groups) and
        // ManagedNodeGroup (own launch template and node role): nodejs/eks/cluster/cluster.ts,
        // servicerole.ts, addons/cni-addon.ts, nodes/securitygroup.ts and nodes/nodegroup.ts at that tag.
        // A first preview knows no id or ARN of anything the stack creates and no computed output (the
        // cluster's upgradePolicy included); an update preview knows them all from the state.
        const first = s.realPreview === "first";
        const known = <V>(value: V): V | string => (first ? UNKNOWN : value);
        for (const r of [secretsKey, launchTemplate, ...privateSubnets]) {
            r.props.id = known(r.props.id);
            if (r.props.arn !== undefined) {
                r.props.arn = known(r.props.arn);
            }
        }
        eksComponent = add(res("eks:index:Cluster", "cluster-eks", {}, cluster));
        const serviceRole = add(res("eks:index:ServiceRole", "cluster-eks-eksRole", {}, eksComponent));
        const role = add(res("aws:iam/role:Role", "cluster-eks-eksRole-role", {
            arn: known("arn:aws:iam::123456789012:role/cluster-eks-eksRole-role-1a2b3c"),
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: ["eks.amazonaws.com"] }, Action: ["sts:AssumeRole", "sts:TagSession"] }] }),
            description: "Allows EKS to manage clusters on your behalf.", tags,
        }, serviceRole));
        add(res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cluster-eks-eksRole-4b490823", {
            role: known("cluster-eks-eksRole-role-1a2b3c"), policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
        }, serviceRole, { propertyDependencies: { role: [role.urn] }, dependencies: [role.urn] }));
        const clusterSg = add(res("aws:ec2/securityGroup:SecurityGroup", "cluster-eks-eksClusterSecurityGroup", {
            id: known("sg-cluster"), vpcId: known("vpc-1"), revokeRulesOnDelete: true, tags: { Name: "cluster-eks-eksClusterSecurityGroup", ...tags },
        }, eksComponent));
        add(res("aws:ec2/securityGroupRule:SecurityGroupRule", "cluster-eks-eksClusterInternetEgressRule", {
            type: "egress", fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], securityGroupId: known("sg-cluster"),
        }, eksComponent, { propertyDependencies: { securityGroupId: [clusterSg.urn] }, dependencies: [clusterSg.urn] }));
        const eksCluster = add(res("aws:eks/cluster:Cluster", "cluster-eks-eksCluster", {
            name: clusterName, version: "1.35", roleArn: known(role.props.arn),
            vpcConfig: {
                endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"],
                securityGroupIds: [known("sg-cluster")], subnetIds: privateSubnets.map(p => p.props.id),
            },
            encryptionConfig: { provider: { keyArn: secretsKey.props.arn }, resources: ["secrets"] },
            enabledClusterLogTypes: logTypes,
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            // Computed by EKS: EXTENDED is what the API returns for a cluster created without one.
            upgradePolicy: first ? UNKNOWN : { supportType: "EXTENDED" },
            tags: { Name: "cluster-eks-eksCluster", ...tags },
        }, eksComponent, {
            propertyDependencies: { encryptionConfig: [secretsKey.urn], roleArn: [role.urn], vpcConfig: [clusterSg.urn, ...privateSubnets.map(p => p.urn)] },
            dependencies: [secretsKey.urn, role.urn, clusterSg.urn, ...privateSubnets.map(p => p.urn), serviceRole.urn],
        }));
        const onCluster = { propertyDependencies: { clusterName: [eksCluster.urn] }, dependencies: [eksCluster.urn] };
        add(res("aws:eks/addon:Addon", "cluster-eks-kube-proxy", { addonName: "kube-proxy", clusterName: known(clusterName), preserve: true, tags }, eksComponent, onCluster));
        add(res("pulumi:providers:kubernetes", "cluster-eks-eks-k8s", { kubeconfig: UNKNOWN }, eksComponent));
        // The CI roles' access entries (cluster.access), by cluster/authenticationMode.ts createAccessEntries.
        for (const [entry, policy, association] of [["deploy", "AmazonEKSClusterAdminPolicy", "admin"], ["preview", "AmazonEKSAdminViewPolicy", "read"]]) {
            const principalArn = `arn:aws:iam::123456789012:role/iot-platform-${s.env}-${entry}`;
            const accessEntry = add(res("aws:eks/accessEntry:AccessEntry", `cluster-eks-${entry}`,
                { clusterName: known(clusterName), principalArn, type: "STANDARD", tags }, eksComponent, onCluster));
            add(res("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", `cluster-eks-${entry}-${association}`, {
                clusterName: known(clusterName), principalArn, policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`, accessScope: { type: "cluster" },
            }, accessEntry, { ...onCluster, dependencies: [eksCluster.urn, accessEntry.urn] }));
        }
        const nodeSg = add(res("aws:ec2/securityGroup:SecurityGroup", "cluster-eks-nodeSecurityGroup", {
            id: known("sg-nodes"), vpcId: known("vpc-1"), revokeRulesOnDelete: true, tags: { Name: "cluster-eks-nodeSecurityGroup", ...tags },
        }, eksComponent));
        const sgRule = (name: string, props: Record<string, unknown>) => add(res("aws:ec2/securityGroupRule:SecurityGroupRule", name, props, eksComponent,
            { propertyDependencies: { securityGroupId: [nodeSg.urn] }, dependencies: [nodeSg.urn, clusterSg.urn] }));
        sgRule("cluster-eks-eksNodeIngressRule", { type: "ingress", fromPort: 0, toPort: 0, protocol: "-1", self: true, securityGroupId: known("sg-nodes") });
        sgRule("cluster-eks-eksNodeClusterIngressRule", { type: "ingress", fromPort: 1025, toPort: 65535, protocol: "tcp", securityGroupId: known("sg-nodes"), sourceSecurityGroupId: known("sg-cluster") });
        sgRule("cluster-eks-eksExtApiServerClusterIngressRule", { type: "ingress", fromPort: 443, toPort: 443, protocol: "tcp", securityGroupId: known("sg-nodes"), sourceSecurityGroupId: known("sg-cluster") });
        sgRule("cluster-eks-eksNodeInternetEgressRule", { type: "egress", fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], securityGroupId: known("sg-nodes") });
        sgRule("cluster-eks-eksClusterIngressRule", { type: "ingress", fromPort: 443, toPort: 443, protocol: "tcp", securityGroupId: known("sg-cluster"), sourceSecurityGroupId: known("sg-nodes") });
        const cni = add(res("eks:index:VpcCniAddon", "cluster-eks-vpc-cni", {}, eksComponent));
        add(res("aws:eks/addon:Addon", "cluster-eks-vpc-cni", { addonName: "vpc-cni", clusterName: known(clusterName), configurationValues: UNKNOWN, preserve: true, tags }, cni, onCluster));
        add(res("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-eks-oidcProvider", {
            arn: known("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"), url: known("https://oidc.eks.us-east-1.amazonaws.com/id/ABC"),
            clientIdLists: ["sts.amazonaws.com"], thumbprintLists: known(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]),
        }, eksComponent, { propertyDependencies: { url: [eksCluster.urn] }, dependencies: [eksCluster.urn] }));
        nodeGroupComponent = add(res("eks:index:ManagedNodeGroup", "cluster-nodes", {}, cluster, { dependencies: [eksComponent.urn] }));
        add(res("aws:eks/nodeGroup:NodeGroup", "cluster-nodes", {
            clusterName: known(clusterName), nodeRoleArn: known("arn:aws:iam::123456789012:role/cluster-node"), subnetIds: privateSubnets.map(p => p.props.id),
            instanceTypes: [s.instanceType], amiType: "AL2023_x86_64_STANDARD", capacityType: "ON_DEMAND", scalingConfig,
            launchTemplate: { id: launchTemplate.props.id, version: known("1") }, labels: { "iot.platform/pool": "general" }, tags,
        }, nodeGroupComponent, {
            propertyDependencies: { clusterName: [eksComponent.urn], subnetIds: privateSubnets.map(p => p.urn), launchTemplate: [launchTemplate.urn] },
            dependencies: [eksComponent.urn, ...privateSubnets.map(p => p.urn), launchTemplate.urn],
        }));
    }
    // Add-ons whose pods need nodes are the program's own, created after the node group (issue 10): the
    // remote components they depend on are recorded as themselves (@pulumi/pulumi runtime/dependsOn.js).
    for (const [name, addonName] of [["cluster-coredns", "coredns"], ["cluster-ebs-csi", "aws-ebs-csi-driver"]]) {
        add(res("aws:eks/addon:Addon", name, { addonName, clusterName, tags }, cluster, { dependencies: [eksComponent.urn, nodeGroupComponent.urn] }));
    }

    const data = add(res("iot:platform:DataPipeline", "data", {}, stack));
    // In a first preview the ids and ARNs of the data path are unknown too; the references reach what
    // they point at through the recorded property dependencies (recorded in every real preview).
    const first = s.realPreview === "first";
    const arnOf = (r: StackResource) => (first ? UNKNOWN : r.props.arn);
    const refs = (deps: Record<string, StackResource[]>): Partial<StackResource> => s.realPreview === undefined ? {} : {
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, rs]) => [k, rs.map(r => r.urn)])),
        dependencies: [...new Set(Object.values(deps).flat().map(r => r.urn))],
    };
    const dataKey = add(res("aws:kms/key:Key", "data-key", { enableKeyRotation: true, tags, arn: "arn:aws:kms:key/data" }, data));
    const stream = add(res("aws:kinesis/stream:Stream", "data-telemetry", {
        arn: "arn:aws:kinesis:stream/telemetry", shardCount: s.shards, retentionPeriod: 168, encryptionType: "KMS",
        kmsKeyId: arnOf(dataKey), streamModeDetails: { streamMode: "PROVISIONED" },
        tags: {
            ...tags,
            "iot:ingest:devices": String(s.devices), "iot:ingest:messagesPerDevicePerMinute": "6",
            "iot:ingest:averageMessageBytes": "1024", "iot:ingest:peakFactor": "2",
        },
    }, data, refs({ kmsKeyId: [dataKey] })));
    // The lake and the bucket receiving its server access logs; the configuration resources reach their
    // bucket through the recorded property dependencies when its name is unknown.
    const bucket = (name: string, physical: string) => add(res("aws:s3/bucket:Bucket", name,
        first ? { bucket: UNKNOWN, id: UNKNOWN, arn: UNKNOWN, tags } : { bucket: physical, id: physical, arn: `arn:aws:s3:::${physical}`, tags }, data));
    const part = (type: string, of: StackResource, props: Record<string, unknown>, more: Record<string, StackResource> = {}) => {
        const all = { bucket: of, ...more };
        return add(res(type, of.name, { ...Object.fromEntries(Object.entries(all).map(([k, b]) => [k, b.props.bucket])), ...props }, data,
            refs(Object.fromEntries(Object.entries(all).map(([k, b]) => [k, [b]])))));
    };
    const publicAccessBlock = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
    const lake = bucket("data-lake", "lake");
    part("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", lake,
        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: arnOf(dataKey) } }] });
    part("aws:s3/bucketVersioning:BucketVersioning", lake, { versioningConfiguration: { status: "Enabled" } });
    part("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", lake, publicAccessBlock);
    part("aws:s3/bucketPolicy:BucketPolicy", lake, { policy: first ? UNKNOWN : JSON.stringify(TLS_ONLY_POLICY) });
    const logs = bucket("data-access-logs", "lake-logs");
    part("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", logs,
        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    part("aws:s3/bucketVersioning:BucketVersioning", logs, { versioningConfiguration: { status: "Enabled" } });
    part("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", logs, publicAccessBlock);
    part("aws:s3/bucketPolicy:BucketPolicy", logs, { policy: first ? UNKNOWN : JSON.stringify(ACCESS_LOG_BUCKET_POLICY) });
    part("aws:s3/bucketLogging:BucketLogging", lake, { targetPrefix: "lake/" }, { targetBucket: logs });
    const deliveryLogs = add(res("aws:cloudwatch/logGroup:LogGroup", "data-delivery", { name: "delivery", retentionInDays: 30, tags }, data));
    add(res("aws:cloudwatch/logStream:LogStream", "data-delivery", {}, data));
    const deliveryRole = add(res("aws:iam/role:Role", "data-delivery", { arn: "arn:aws:iam::role/delivery", assumeRolePolicy: "{}", tags }, data));
    add(res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "data-delivery", {
        destination: "extended_s3",
        kinesisSourceConfiguration: { kinesisStreamArn: arnOf(stream), roleArn: arnOf(deliveryRole) },
        extendedS3Configuration: {
            bucketArn: arnOf(lake), kmsKeyArn: arnOf(dataKey), errorOutputPrefix: "errors/",
            cloudwatchLoggingOptions: { enabled: true, logGroupName: "delivery", logStreamName: "delivery" },
        },
        tags,
    }, data, refs({ kinesisSourceConfiguration: [stream, deliveryRole], extendedS3Configuration: [lake, dataKey, deliveryLogs] })));
    // Nothing the stack creates has an id or ARN before its first deployment.
    for (const r of first ? out : []) {
        for (const key of ["id", "arn"].filter(k => r.props[k] !== undefined)) {
            r.props[key] = UNKNOWN;
        }
    }
    for (const nat of first ? out.filter(r => r.type === "aws:ec2/natGateway:NatGateway") : []) {
        nat.props.allocationId = UNKNOWN;
        nat.props.subnetId = UNKNOWN;
    }
    return out;
}

export const TLS_ONLY_POLICY = {
    Version: "2012-10-17",
    Statement: [{
        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
        Resource: ["arn:aws:s3:::lake", "arn:aws:s3:::lake/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    }],
};

/** The access-log bucket's policy as the program writes it: the logging service's grant and the TLS deny. */
export const ACCESS_LOG_BUCKET_POLICY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "S3ServerAccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: ["s3:PutObject"],
            Resource: ["arn:aws:s3:::lake-logs/lake/*"],
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::lake" }, StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
        {
            Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: ["s3:*"],
            Resource: ["arn:aws:s3:::lake-logs", "arn:aws:s3:::lake-logs/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ],
};

/** Returns a copy of `resources` with `patch` applied to the props of the resource named `name`. */
export function patched(resources: readonly StackResource[], type: string, name: string, patch: (props: Record<string, any>) => void): StackResource[] {
    let found = false;
    const out = resources.map(r => {
        if (r.type !== type || r.name !== name) {
            return r;
        }
        found = true;
        const props = structuredClone(r.props) as Record<string, any>;
        patch(props);
        return { ...r, props };
    });
    if (!found) {
        throw new Error(`fixture has no ${type} named ${name}`);
    }
    return out;
}
