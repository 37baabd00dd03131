import { strict as assert } from "assert";
import { ProgramRun } from "../../tools/mockProgram";
import { ofType, one, runStack } from "../util";

/**
 * AWS types in this program that take no tags. Everything else that is aws:* must carry the
 * four cost-allocation tags.
 */
const UNTAGGABLE = new Set([
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/alias:Alias",
    "aws:cloudwatch/logStream:LogStream",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sns/topicPolicy:TopicPolicy",
]);

for (const [stack, environment] of [["prod", "prod"], ["staging", "staging"]] as const) {
    describe(`stack ${stack}`, () => {
        let run: ProgramRun;
        before(async () => { run = await runStack(stack); });

        it("tags every taggable AWS resource with Environment, Project, CostCenter and ManagedBy", () => {
            const untagged = run.resources
                .filter((r) => r.type.startsWith("aws:") && !UNTAGGABLE.has(r.type))
                .filter((r) => {
                    const tags = r.inputs.tags ?? {};
                    return tags.Environment !== environment || tags.Project !== "iot-platform" || tags.CostCenter !== "iot-platform" || tags.ManagedBy !== "pulumi";
                })
                .map((r) => `${r.type} ${r.name}`);
            assert.deepEqual(untagged, []);
        });

        it("passes the tags to the EKS components so their children are tagged too", () => {
            assert.equal(one(run.resources, "eks:index:Cluster").inputs.tags.Environment, environment);
            assert.equal(one(run.resources, "eks:index:ManagedNodeGroup").inputs.tags.Environment, environment);
        });

        it("nests every resource under one of its components", () => {
            const orphans = run.resources.filter((r) => r.parent === undefined && !r.type.startsWith("iot:")).map((r) => `${r.type} ${r.name}`);
            assert.deepEqual(orphans, []);
        });

        it("exports VPC, cluster, kubeconfig, node sizing, stream and bucket", () => {
            assert.deepEqual(
                ["vpcId", "clusterName", "kubeconfig", "nodeGroup", "streamName", "streamArn", "shardCount", "bucketName"].filter((k) => run.outputs[k] === undefined),
                [],
            );
            assert.equal(run.outputs.clusterName, `iot-platform-${environment}`);
            assert.equal(JSON.parse(run.outputs.kubeconfig as string).kind, "Config");
        });
    });
}

describe("prod and staging differ only through their config", () => {
    it("prod: three desired *.large nodes up to 6, NAT per zone", async () => {
        const prod = await runStack("prod");
        const nodes = one(prod.resources, "eks:index:ManagedNodeGroup").inputs;
        assert.equal(nodes.scalingConfig.desiredSize, 3);
        assert.match(nodes.instanceTypes[0], /\.large$/);
        assert.equal(nodes.scalingConfig.maxSize, 6);
        assert.equal(ofType(prod.resources, "aws:ec2/natGateway:NatGateway").length, 3);
        assert.deepEqual(prod.outputs.nodeGroup, { instanceType: "m6a.large", min: 3, desired: 3, max: 6, diskSizeGb: 50 });
    });

    it("staging: two t3.large nodes up to 3, one NAT gateway, its own region", async () => {
        const staging = await runStack("staging");
        const nodes = one(staging.resources, "eks:index:ManagedNodeGroup").inputs;
        assert.deepEqual(nodes.scalingConfig, { minSize: 2, desiredSize: 2, maxSize: 3 });
        assert.deepEqual(nodes.instanceTypes, ["t3.large"]);
        assert.equal(ofType(staging.resources, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.equal(one(staging.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs.serviceName, "com.amazonaws.us-east-2.s3");
    });
});
