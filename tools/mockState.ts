/**
 * Outputs that a real `pulumi up` would return, per resource type, so programs that read ids,
 * ARNs and kubeconfigs run under mocks the way they run against AWS.
 */
import * as crypto from "crypto";

export const MOCK_ACCOUNT = "123456789012";

export interface MockResult {
    readonly id: string;
    readonly state: Record<string, unknown>;
}

function hex(seed: string, length: number): string {
    return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** Deterministic: the same program gives the same ids, so reports and snapshots are stable. */
export function mockResourceState(type: string, name: string, inputs: Record<string, any>, region: string): MockResult {
    const suffix = hex(`${type}/${name}`, 7);
    // Like the provider: an explicit name, else the prefix plus a 26-character unique suffix, else autonaming.
    const physical = (inputs.name as string | undefined)
        ?? (inputs.namePrefix ? `${inputs.namePrefix}${BigInt(`0x${hex(`prefix/${type}/${name}`, 20)}`).toString().padStart(26, "0").slice(0, 26)}` : `${name}-${suffix}`);
    const arn = (service: string, resource: string, scope = region) => `arn:aws:${service}:${scope}:${MOCK_ACCOUNT}:${resource}`;
    const withId = (id: string, extra: Record<string, unknown> = {}) => ({ id, state: { ...inputs, id, ...extra } });

    switch (type) {
        case "aws:ec2/vpc:Vpc": return withId(`vpc-${hex(name, 17)}`, { arn: arn("ec2", `vpc/vpc-${hex(name, 17)}`) });
        case "aws:ec2/subnet:Subnet": return withId(`subnet-${hex(name, 17)}`, { arn: arn("ec2", `subnet/subnet-${hex(name, 17)}`) });
        case "aws:ec2/internetGateway:InternetGateway": return withId(`igw-${hex(name, 17)}`);
        case "aws:ec2/natGateway:NatGateway": return withId(`nat-${hex(name, 17)}`);
        case "aws:ec2/eip:Eip": return withId(`eipalloc-${hex(name, 17)}`, { publicIp: "198.51.100.10" });
        case "aws:ec2/routeTable:RouteTable": return withId(`rtb-${hex(name, 17)}`);
        case "aws:ec2/vpcEndpoint:VpcEndpoint": return withId(`vpce-${hex(name, 17)}`);
        case "aws:ec2/securityGroup:SecurityGroup":
        case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": return withId(`sg-${hex(name, 17)}`);
        case "aws:ec2/launchTemplate:LaunchTemplate": return withId(`lt-${hex(name, 17)}`, { latestVersion: 1, arn: arn("ec2", `launch-template/lt-${hex(name, 17)}`) });
        case "aws:ec2/flowLog:FlowLog": return withId(`fl-${hex(name, 17)}`);
        case "aws:iam/role:Role": return withId(physical, { name: physical, arn: arn("iam", `role/${physical}`, ""), uniqueId: `AROA${hex(name, 17).toUpperCase()}` });
        case "aws:iam/policy:Policy": return withId(arn("iam", `policy/${physical}`, ""), { name: physical, arn: arn("iam", `policy/${physical}`, "") });
        case "aws:kms/key:Key": {
            const keyId = uuidFrom(name);
            return withId(keyId, { keyId, arn: arn("kms", `key/${keyId}`) });
        }
        case "aws:kms/alias:Alias": return withId(inputs.name ?? `alias/${physical}`, { arn: arn("kms", inputs.name ?? `alias/${physical}`) });
        case "aws:cloudwatch/logGroup:LogGroup": return withId(physical, { name: physical, arn: arn("logs", `log-group:${physical}`) });
        case "aws:cloudwatch/logStream:LogStream": return withId(physical, { name: physical });
        case "aws:kinesis/stream:Stream": return withId(arn("kinesis", `stream/${physical}`), { name: physical, arn: arn("kinesis", `stream/${physical}`) });
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            return withId(arn("firehose", `deliverystream/${physical}`), { name: physical, arn: arn("firehose", `deliverystream/${physical}`) });
        case "aws:s3/bucket:Bucket": {
            const bucket = (inputs.bucket as string | undefined) ?? physical.toLowerCase();
            return withId(bucket, { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` });
        }
        // The provider's id for bucket logging is the source bucket's name.
        case "aws:s3/bucketLogging:BucketLogging": return withId(inputs.bucket as string);
        case "aws:eks/addon:Addon": return withId(`${inputs.clusterName}:${inputs.addonName}`, { arn: arn("eks", `addon/${inputs.clusterName}/${inputs.addonName}/${hex(name, 8)}`) });
        case "aws:sns/topic:Topic": return withId(arn("sns", physical), { name: physical, arn: arn("sns", physical) });
        case "aws:cloudwatch/metricAlarm:MetricAlarm": return withId(physical, { name: physical, arn: arn("cloudwatch", `alarm:${physical}`) });
        case "eks:index:Cluster": return withId(physical, eksClusterOutputs(physical, region));
        case "random:index/randomPassword:RandomPassword": return withId(physical, { result: `mock-password-${hex(name, 24)}` });
        // PagerDuty ids are 7 uppercase characters; an integration's key is 32 hex characters the API generates.
        case "pagerduty:index/serviceIntegration:ServiceIntegration": return withId(`P${hex(name, 6).toUpperCase()}`, { integrationKey: hex(`key/${name}`, 32) });
        default:
            if (type.startsWith("kubernetes:")) {
                const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
                const objectName = metadata.name ?? physical;
                // The legacy AWS controller names an NLB a<32 hex>-<hex>.elb.<region>.amazonaws.com and reports it as the Service's ingress.
                const status = type === "kubernetes:core/v1:Service" && inputs.spec?.type === "LoadBalancer"
                    ? { status: { loadBalancer: { ingress: [{ hostname: `a${hex(`nlb/${name}`, 31)}-${hex(`nlb-id/${name}`, 16)}.elb.${region}.amazonaws.com` }] } } }
                    : {};
                return withId(metadata.namespace ? `${metadata.namespace}/${objectName}` : objectName, {
                    metadata: { ...metadata, name: objectName },
                    ...status,
                });
            }
            return withId(`${physical}-id`, { arn: arn(type.split(":")[1]?.split("/")[0] ?? "unknown", physical) });
    }
}

/** Results of provider functions (invokes) the program calls; other calls echo their inputs. */

function uuidFrom(seed: string): string {
    const h = hex(`uuid/${seed}`, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The outputs of `@pulumi/eks`'s Cluster that the program reads. */
function eksClusterOutputs(clusterName: string, region: string): Record<string, unknown> {
    const oidcId = hex(`oidc/${clusterName}`, 32).toUpperCase();
    const endpoint = `https://${hex(`endpoint/${clusterName}`, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
    const kubeconfig = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": "LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t" } }],
        contexts: [{ name: "aws", context: { cluster: clusterName, user: "aws" } }],
        "current-context": "aws",
        users: [{
            name: "aws",
            user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--output", "json"] } },
        }],
    };
    return {
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
        oidcIssuer: `oidc.eks.${region}.amazonaws.com/id/${oidcId}`,
        oidcProviderUrl: `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}`,
        oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/${oidcId}`,
        clusterSecurityGroupId: `sg-${hex(`cluster-sg/${clusterName}`, 17)}`,
        nodeSecurityGroupId: `sg-${hex(`node-sg/${clusterName}`, 17)}`,
    };
}

/**
 * Zones per region as an account sees them (counts from the AWS Regions and Zones page); the IDs
 * follow AWS's `<region code>-az<n>` form. Regions not listed get three zones.
 */
const MOCK_ZONE_COUNTS: Readonly<Record<string, number>> = {
    "us-east-1": 6, "us-east-2": 3, "us-west-1": 2, "us-west-2": 4, "eu-west-1": 3, "eu-central-1": 3, "ap-southeast-2": 3,
};

export function mockAvailabilityZones(region: string): { name: string; zoneId: string }[] {
    const parts = region.split("-");
    const gov = parts.length === 4;
    const [area, direction, number] = gov ? [parts[0], parts[2], parts[3]] : parts;
    const abbreviated = direction.replace(/^(north|south)(east|west)$/, (_, a: string, b: string) => `${a[0]}${b[0]}`).replace(/^(east|west|central|north|south)$/, (d: string) => d[0]);
    const code = `${area}${gov ? "g" : ""}${abbreviated}${number}`;
    return Array.from({ length: MOCK_ZONE_COUNTS[region] ?? 3 }, (_, i) => ({ name: `${region}${String.fromCharCode(97 + i)}`, zoneId: `${code}-az${i + 1}` }));
}

/** Data-source results under mocks; other invokes echo their inputs. */
export function mockInvoke(token: string, inputs: Record<string, any>, region: string): Record<string, any> {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const zones = mockAvailabilityZones(inputs.region ?? region);
            return { ...inputs, id: inputs.region ?? region, region: inputs.region ?? region, names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.zoneId), groupNames: [inputs.region ?? region] };
        }
        // The newest build of an EKS add-on for a Kubernetes version, shaped like the API's (v1.11.4-eksbuild.2).
        case "aws:eks/getAddonVersion:getAddonVersion":
            return { ...inputs, id: inputs.addonName, version: `v1.${inputs.kubernetesVersion.split(".")[1]}.0-eksbuild.1` };
        case "pagerduty:index/getVendor:getVendor":
            return { id: `P${hex(`vendor/${inputs.name}`, 6).toUpperCase()}`, name: inputs.name, type: "generic_events_api_inbound_integration" };
        default:
            return inputs;
    }
}
