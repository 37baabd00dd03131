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
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = policyResources[i] as { parent?: PolicyResource; propertyDependencies: Record<string, PolicyResource[]> };
        pr.parent = r.parent ? byUrn.get(r.parent) : undefined;
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
     * pulumi-eks provider with no inputs (their outputs are opaque) and their children visible; ids and
     * ARNs of resources being created unknown, with the references' property dependencies recorded.
     */
    realPreview?: boolean;
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
        add(res("aws:ec2/eip:Eip", `net-nat-${i}`, { domain: "vpc", tags }, network));
        add(res("aws:ec2/natGateway:NatGateway", `net-nat-${i}`, { subnetId: `subnet-public-${i}`, tags }, network));
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
    if (!s.realPreview) {
        add(res("eks:index:Cluster", "cluster-eks", {
            skipDefaultNodeGroup: true, endpointPublicAccess: false, encryptionConfigKeyArn: "arn:aws:kms:key/secrets",
            enabledClusterLogTypes: logTypes, tags,
        }, cluster));
        add(res("eks:index:ManagedNodeGroup", "cluster-nodes", {
            subnetIds: privateSubnets.map(p => p.props.id), instanceTypes: [s.instanceType], amiType: "AL2023_x86_64_STANDARD", capacityType: "ON_DEMAND",
            scalingConfig, launchTemplate: { id: "lt-nodes", version: "1" }, tags,
        }, cluster));
    } else {
        // What pulumi-eks v4 creates for Cluster (skipDefaultNodeGroup, API authentication mode) and
        // ManagedNodeGroup, as its nodejs/eks cluster, securitygroup and nodegroup sources show.
        for (const r of [secretsKey, launchTemplate, ...privateSubnets]) {
            r.props.id = UNKNOWN;
            if (r.props.arn !== undefined) {
                r.props.arn = UNKNOWN;
            }
        }
        const eksCluster = add(res("eks:index:Cluster", "cluster-eks", {}, cluster));
        add(res("aws:iam/role:Role", "cluster-eks-eksRole", {
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
            tags,
        }, eksCluster));
        add(res("aws:ec2/securityGroup:SecurityGroup", "cluster-eks-eksClusterSecurityGroup", { vpcId: UNKNOWN, revokeRulesOnDelete: true, tags: UNKNOWN }, eksCluster));
        add(res("aws:ec2/securityGroupRule:SecurityGroupRule", "cluster-eks-eksClusterInternetEgressRule", {
            type: "egress", fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"], securityGroupId: UNKNOWN,
        }, eksCluster));
        add(res("aws:eks/cluster:Cluster", "cluster-eks-eksCluster", {
            name: `iot-platform-${s.env}`, version: "1.34", roleArn: UNKNOWN,
            vpcConfig: {
                endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"],
                securityGroupIds: [UNKNOWN], subnetIds: privateSubnets.map(() => UNKNOWN),
            },
            encryptionConfig: { provider: { keyArn: UNKNOWN }, resources: ["secrets"] },
            enabledClusterLogTypes: logTypes, accessConfig: { authenticationMode: "API" }, tags,
        }, eksCluster, { propertyDependencies: { encryptionConfig: [secretsKey.urn] } }));
        add(res("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-eks-oidcProvider", { url: UNKNOWN, clientIdLists: ["sts.amazonaws.com"], thumbprintLists: UNKNOWN }, eksCluster));
        const cni = add(res("eks:index:VpcCniAddon", "cluster-eks-vpc-cni", {}, eksCluster));
        add(res("aws:eks/addon:Addon", "cluster-eks-vpc-cni", { addonName: "vpc-cni", clusterName: UNKNOWN, configurationValues: UNKNOWN }, cni));
        for (const addon of ["coredns", "kube-proxy"]) {
            add(res("aws:eks/addon:Addon", `cluster-eks-${addon}`, { addonName: addon, clusterName: UNKNOWN }, eksCluster));
        }
        add(res("pulumi:providers:kubernetes", "cluster-eks-provider", { kubeconfig: UNKNOWN }, eksCluster));
        const mng = add(res("eks:index:ManagedNodeGroup", "cluster-nodes", {}, cluster));
        add(res("aws:eks/nodeGroup:NodeGroup", "cluster-nodes", {
            clusterName: UNKNOWN, nodeRoleArn: UNKNOWN, subnetIds: privateSubnets.map(() => UNKNOWN),
            instanceTypes: [s.instanceType], amiType: "AL2023_x86_64_STANDARD", capacityType: "ON_DEMAND", scalingConfig,
            launchTemplate: { id: UNKNOWN, version: UNKNOWN }, tags,
        }, mng, { propertyDependencies: { subnetIds: privateSubnets.map(p => p.urn), launchTemplate: [launchTemplate.urn] } }));
    }

    const data = add(res("iot:platform:DataPipeline", "data", {}, stack));
    add(res("aws:kms/key:Key", "data-key", { enableKeyRotation: true, tags, arn: "arn:aws:kms:key/data" }, data));
    add(res("aws:kinesis/stream:Stream", "data-telemetry", {
        arn: "arn:aws:kinesis:stream/telemetry", shardCount: s.shards, retentionPeriod: 168, encryptionType: "KMS",
        kmsKeyId: "arn:aws:kms:key/data", streamModeDetails: { streamMode: "PROVISIONED" },
        tags: {
            ...tags,
            "iot:ingest:devices": String(s.devices), "iot:ingest:messagesPerDevicePerMinute": "6",
            "iot:ingest:averageMessageBytes": "1024", "iot:ingest:peakFactor": "2",
        },
    }, data));
    // The lake and the bucket receiving its server access logs. In a real preview (first deployment) bucket
    // names, ids and ARN-derived policies are unknown; the configuration resources reach their bucket
    // through the recorded property dependencies.
    const bucket = (name: string, physical: string) => add(res("aws:s3/bucket:Bucket", name,
        s.realPreview ? { bucket: UNKNOWN, id: UNKNOWN, arn: UNKNOWN, tags } : { bucket: physical, id: physical, tags }, data));
    const part = (type: string, of: StackResource, props: Record<string, unknown>, refs: Record<string, StackResource> = {}) => {
        const all = { bucket: of, ...refs };
        if (!s.realPreview) {
            return add(res(type, of.name, { ...Object.fromEntries(Object.entries(all).map(([k, b]) => [k, b.props.bucket])), ...props }, data));
        }
        return add(res(type, of.name, { ...Object.fromEntries(Object.keys(all).map(k => [k, UNKNOWN])), ...props }, data,
            { propertyDependencies: Object.fromEntries(Object.entries(all).map(([k, b]) => [k, [b.urn]])) }));
    };
    const publicAccessBlock = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
    const lake = bucket("data-lake", "lake");
    part("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", lake,
        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:key/data" } }] });
    part("aws:s3/bucketVersioning:BucketVersioning", lake, { versioningConfiguration: { status: "Enabled" } });
    part("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", lake, publicAccessBlock);
    part("aws:s3/bucketPolicy:BucketPolicy", lake, { policy: s.realPreview ? UNKNOWN : JSON.stringify(TLS_ONLY_POLICY) });
    const logs = bucket("data-access-logs", "lake-logs");
    part("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", logs,
        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    part("aws:s3/bucketVersioning:BucketVersioning", logs, { versioningConfiguration: { status: "Enabled" } });
    part("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", logs, publicAccessBlock);
    part("aws:s3/bucketPolicy:BucketPolicy", logs, { policy: s.realPreview ? UNKNOWN : JSON.stringify(ACCESS_LOG_BUCKET_POLICY) });
    part("aws:s3/bucketLogging:BucketLogging", lake, { targetPrefix: "lake/" }, { targetBucket: logs });
    add(res("aws:cloudwatch/logGroup:LogGroup", "data-delivery", { retentionInDays: 30, tags }, data));
    add(res("aws:cloudwatch/logStream:LogStream", "data-delivery", {}, data));
    add(res("aws:iam/role:Role", "data-delivery", { assumeRolePolicy: "{}", tags }, data));
    add(res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "data-delivery", {
        destination: "extended_s3",
        kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws:kinesis:stream/telemetry", roleArn: "arn:aws:iam::role/delivery" },
        extendedS3Configuration: {
            bucketArn: "arn:aws:s3:::lake", kmsKeyArn: "arn:aws:kms:key/data", errorOutputPrefix: "errors/",
            cloudwatchLoggingOptions: { enabled: true, logGroupName: "delivery", logStreamName: "delivery" },
        },
        tags,
    }, data));
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
