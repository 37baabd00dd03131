import { strict as assert } from "assert";
import { RecordedResource } from "../../tools/mockProgram";
import { ofType, one, runStack, withConfig } from "../util";
import { runPlatformProgram } from "../../tools/mockProgram";

describe("Network", () => {
    let prod: RecordedResource[];
    let staging: RecordedResource[];
    before(async () => {
        prod = (await runStack("prod")).resources;
        staging = (await runStack("staging")).resources;
    });

    it("creates the VPC with DNS support for EKS", () => {
        const vpc = one(prod, "aws:ec2/vpc:Vpc");
        assert.equal(vpc.inputs.cidrBlock, "10.20.0.0/16");
        assert.equal(vpc.inputs.enableDnsHostnames, true);
        assert.equal(vpc.inputs.enableDnsSupport, true);
    });

    it("spreads public and private subnets over the three zones", () => {
        const subnets = ofType(prod, "aws:ec2/subnet:Subnet");
        const zonesOf = (role: string) => subnets.filter((s) => s.inputs.tags[role] === "1").map((s) => s.inputs.availabilityZone).sort();
        assert.deepEqual(zonesOf("kubernetes.io/role/internal-elb"), ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.deepEqual(zonesOf("kubernetes.io/role/elb"), ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false));
        assert.ok(subnets.every((s) => s.inputs.tags["kubernetes.io/cluster/iot-platform-prod"] === "shared"));
    });

    it("prod gets one NAT gateway per zone, each private route table using its own", () => {
        const nats = ofType(prod, "aws:ec2/natGateway:NatGateway");
        assert.equal(nats.length, 3);
        const natRoutes = ofType(prod, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId);
        assert.equal(new Set(natRoutes.map((r) => r.inputs.natGatewayId)).size, 3);
    });

    it("staging shares one NAT gateway across its private subnets", () => {
        assert.equal(ofType(staging, "aws:ec2/natGateway:NatGateway").length, 1);
        const natRoutes = ofType(staging, "aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId);
        assert.equal(natRoutes.length, 3);
        assert.equal(new Set(natRoutes.map((r) => r.inputs.natGatewayId)).size, 1);
    });

    it("routes S3 through a gateway endpoint on every route table", () => {
        const endpoint = one(prod, "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.equal(endpoint.inputs.serviceName, "com.amazonaws.us-east-1.s3");
        assert.equal(endpoint.inputs.vpcEndpointType, "Gateway");
        assert.equal(endpoint.inputs.routeTableIds.length, ofType(prod, "aws:ec2/routeTable:RouteTable").length);
    });

    it("logs all VPC traffic to a log group with bounded retention", () => {
        const flowLog = one(prod, "aws:ec2/flowLog:FlowLog");
        assert.equal(flowLog.inputs.trafficType, "ALL");
        assert.equal(flowLog.inputs.logDestinationType, "cloud-watch-logs");
        assert.equal(one(prod, "aws:cloudwatch/logGroup:LogGroup", "flow-logs").inputs.retentionInDays, 90);
        assert.equal(one(staging, "aws:cloudwatch/logGroup:LogGroup", "flow-logs").inputs.retentionInDays, 14);
    });

    it("locks down the default security group", () => {
        const sg = one(prod, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.equal(sg.inputs.ingress, undefined);
        assert.equal(sg.inputs.egress, undefined);
    });

    it("builds four zones' subnets when four are configured", async () => {
        const run = await runPlatformProgram(withConfig("prod", "network", (c) => {
            c.value.availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
        }));
        assert.equal(ofType(run.resources, "aws:ec2/subnet:Subnet").length, 8);
        assert.equal(ofType(run.resources, "aws:ec2/natGateway:NatGateway").length, 4);
    });
});
