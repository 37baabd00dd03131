import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "./cidr";

export const NAT_GATEWAY_MODES = ["perAz", "single"] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

/** VPC with public and private subnets across zones, NAT egress, an S3 gateway endpoint and flow logs. */
export interface NetworkArgs {
    /** VPC IPv4 range, /16 to /20. */
    readonly cidr: string;
    /** Region the VPC lives in; names the S3 endpoint service. */
    readonly region: string;
    /** Zones to spread subnets over, 2 to 4. */
    readonly availabilityZones: readonly string[];
    /** perAz keeps egress through a zone outage; single shares one gateway. @default "perAz" */
    readonly natGateways?: NatGatewayMode;
    /** Days VPC flow logs are kept. @default 90 */
    readonly flowLogRetentionDays?: number;
    /** Name of the EKS cluster the subnets serve, for the load-balancer discovery tags. */
    readonly clusterName: string;
    readonly tags: Readonly<Record<string, string>>;
}

export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    public readonly natGatewayCount: number;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:network:Network", name, {}, opts);

        const natMode = args.natGateways ?? "perAz";
        if (!NAT_GATEWAY_MODES.includes(natMode)) {
            throw new pulumi.ResourceError(`natGateways must be one of ${NAT_GATEWAY_MODES.join(", ")}, got "${natMode}"`, this);
        }
        if (args.availabilityZones.length < 2) {
            throw new pulumi.ResourceError(`availabilityZones needs at least 2 zones, got ${args.availabilityZones.length}`, this);
        }
        const plan = planSubnets(args.cidr, args.availabilityZones);
        const flowLogRetentionDays = args.flowLogRetentionDays ?? 90;
        const tags = args.tags;
        const child = { parent: this };
        const clusterTag = `kubernetes.io/cluster/${args.clusterName}`;

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.cidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { ...tags, Name: `${name}-vpc` },
        }, child);

        // The default security group allows all traffic between its members; emptying it means
        // nothing can rely on it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, {
            vpcId: vpc.id,
            tags: { ...tags, Name: `${name}-default-locked` },
        }, child);

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, {
            vpcId: vpc.id,
            tags: { ...tags, Name: `${name}-igw` },
        }, child);

        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
            vpcId: vpc.id,
            tags: { ...tags, Name: `${name}-public` },
        }, child);
        new aws.ec2.Route(`${name}-public-default`, {
            routeTableId: publicRoutes.id,
            destinationCidrBlock: "0.0.0.0/0",
            gatewayId: igw.id,
        }, child);

        const publicSubnets = plan.map((p, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-public-${i}`, {
                vpcId: vpc.id,
                cidrBlock: p.publicCidr,
                availabilityZone: p.availabilityZone,
                // Nothing in a public subnet needs an address by default; NAT and load balancers bring their own.
                mapPublicIpOnLaunch: false,
                tags: { ...tags, Name: `${name}-public-${p.availabilityZone}`, "kubernetes.io/role/elb": "1", [clusterTag]: "shared" },
            }, child);
            new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, child);
            return subnet;
        });

        const natCount = natMode === "perAz" ? plan.length : 1;
        const natGateways = publicSubnets.slice(0, natCount).map((subnet, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, {
                domain: "vpc",
                tags: { ...tags, Name: `${name}-nat-${plan[i].availabilityZone}` },
            }, child);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: subnet.id,
                tags: { ...tags, Name: `${name}-nat-${plan[i].availabilityZone}` },
            }, { ...child, dependsOn: [igw] });
        });

        const privateRouteTables: aws.ec2.RouteTable[] = [];
        const privateSubnets = plan.map((p, i) => {
            const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
                vpcId: vpc.id,
                cidrBlock: p.privateCidr,
                availabilityZone: p.availabilityZone,
                mapPublicIpOnLaunch: false,
                tags: { ...tags, Name: `${name}-private-${p.availabilityZone}`, "kubernetes.io/role/internal-elb": "1", [clusterTag]: "shared" },
            }, child);
            const routes = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, {
                vpcId: vpc.id,
                tags: { ...tags, Name: `${name}-private-${p.availabilityZone}` },
            }, child);
            new aws.ec2.Route(`${name}-private-default-${i}`, {
                routeTableId: routes.id,
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id,
            }, child);
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, child);
            privateRouteTables.push(routes);
            return subnet;
        });

        // Bulk telemetry reads and writes to S3 would otherwise pay NAT data processing per GB.
        new aws.ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id,
            serviceName: `com.amazonaws.${args.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: [publicRoutes.id, ...privateRouteTables.map((rt) => rt.id)],
            tags: { ...tags, Name: `${name}-s3` },
        }, child);

        const flowLogGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            retentionInDays: flowLogRetentionDays,
            tags,
        }, child);
        const flowLogRole = new aws.iam.Role(`${name}-flow-logs`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, child);
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: flowLogRole.name,
            policy: flowLogGroup.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [arn, `${arn}:*`],
                }],
            })),
        }, child);
        new aws.ec2.FlowLog(`${name}-flow-log`, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: flowLogGroup.arn,
            iamRoleArn: flowLogRole.arn,
            maxAggregationInterval: 600,
            tags,
        }, child);

        this.vpcId = vpc.id;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.natGatewayCount = natCount;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }
}
