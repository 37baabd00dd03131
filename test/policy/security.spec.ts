import * as assert from "assert";
import { firehoseBaselinePolicy, kinesisStreamBaselinePolicy, kmsKeyRotationPolicy } from "../../policy/security/data";
import { eksClusterBaselinePolicy, eksNodeGroupBaselinePolicy, launchTemplateImdsPolicy } from "../../policy/security/eks";
import { irsaTrustPolicy } from "../../policy/security/iam";
import { securityGroupPublicIngressPolicy } from "../../policy/security/network";
import { messages, patched, platformStack, PROD_SHAPE, res, runResourcePolicy, runStackPolicy, UNKNOWN } from "./util";

type Props = Record<string, any>;
/** Runs `policy` on `base` and on one mutation per case, asserting the exact messages. */
function mutations(policy: Parameters<typeof runResourcePolicy>[0], type: string, base: Props,
    cases: [string, (p: Props) => void, string[]][], config: Props = {}) {
    it("passes the happy path", () => assert.deepStrictEqual(runResourcePolicy(policy, { type, props: base, name: "x" }, config), []));
    for (const [title, mutate, expected] of cases) {
        it(title, () => {
            const props = structuredClone(base);
            mutate(props);
            assert.deepStrictEqual(runResourcePolicy(policy, { type, props, name: "x" }, config), expected);
        });
    }
}

const LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

describe("eks-cluster-baseline (eks:index:Cluster)", () => {
    mutations(eksClusterBaselinePolicy(), "eks:index:Cluster",
        { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"], encryptionConfigKeyArn: "arn:aws:kms:key/1", enabledClusterLogTypes: LOGS }, [
            ["fails a public endpoint without CIDRs (defaults to 0.0.0.0/0)", p => { delete p.publicAccessCidrs; },
                ["EKS cluster 'x' API endpoint is public to 0.0.0.0/0; disable endpointPublicAccess or restrict publicAccessCidrs to known networks."]],
            ["fails ::/0", p => { p.publicAccessCidrs = ["::/0"]; },
                ["EKS cluster 'x' API endpoint is public to ::/0; disable endpointPublicAccess or restrict publicAccessCidrs to known networks."]],
            ["fails without a secrets key", p => { delete p.encryptionConfigKeyArn; },
                ["EKS cluster 'x' does not encrypt Kubernetes secrets; set encryptionConfigKeyArn to a KMS key ARN."]],
            ["fails a missing log type", p => { p.enabledClusterLogTypes = LOGS.slice(0, 4); },
                ["EKS cluster 'x' does not enable control-plane log type(s) scheduler; enabledClusterLogTypes must include api, audit, authenticator, controllerManager, scheduler."]],
            ["passes a key ARN created in the same stack (unknown in preview)", p => { p.encryptionConfigKeyArn = UNKNOWN; }, []],
            ["passes a private endpoint with default CIDRs", p => { p.endpointPublicAccess = false; delete p.publicAccessCidrs; }, []],
        ]);
});

describe("eks-cluster-baseline in a real preview", () => {
    it("skips eks:index:Cluster as the pulumi-eks provider registers it (no inputs); its child is checked", () => {
        assert.deepStrictEqual(runResourcePolicy(eksClusterBaselinePolicy(), { type: "eks:index:Cluster", props: {} }), []);
        const child = platformStack({ ...PROD_SHAPE, realPreview: "first" }).find(r => r.type === "aws:eks/cluster:Cluster")!;
        assert.deepStrictEqual(runResourcePolicy(eksClusterBaselinePolicy(), { type: child.type, props: child.props, name: "x" }), []);
        const open = structuredClone(child.props) as Props;
        open.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"];
        delete open.encryptionConfig;
        assert.deepStrictEqual(runResourcePolicy(eksClusterBaselinePolicy(), { type: child.type, props: open, name: "x" }), [
            "EKS cluster 'x' API endpoint is public to 0.0.0.0/0; disable endpointPublicAccess or restrict publicAccessCidrs to known networks.",
            "EKS cluster 'x' does not encrypt Kubernetes secrets; set encryptionConfig.provider.keyArn to a KMS key ARN.",
        ]);
    });
});

describe("eks-cluster-baseline (aws:eks/cluster:Cluster)", () => {
    mutations(eksClusterBaselinePolicy(), "aws:eks/cluster:Cluster",
        { vpcConfig: { endpointPublicAccess: false }, encryptionConfig: { provider: { keyArn: "arn:aws:kms:key/1" }, resources: ["secrets"] }, enabledClusterLogTypes: LOGS }, [
            ["fails public access with no CIDRs", p => { p.vpcConfig.endpointPublicAccess = true; },
                ["EKS cluster 'x' API endpoint is public to 0.0.0.0/0; disable endpointPublicAccess or restrict publicAccessCidrs to known networks."]],
            ["fails without encryptionConfig", p => { delete p.encryptionConfig; },
                ["EKS cluster 'x' does not encrypt Kubernetes secrets; set encryptionConfig.provider.keyArn to a KMS key ARN."]],
            ["fails a key that encrypts no resource", p => { p.encryptionConfig.resources = []; },
                ["EKS cluster 'x' encryptionConfig.resources is []; it must include \"secrets\", or the KMS key encrypts nothing."]],
            ["fails a key without resources", p => { delete p.encryptionConfig.resources; },
                ["EKS cluster 'x' encryptionConfig.resources is []; it must include \"secrets\", or the KMS key encrypts nothing."]],
            ["fails resources other than secrets", p => { p.encryptionConfig.resources = ["configmaps"]; },
                ["EKS cluster 'x' encryptionConfig.resources is [\"configmaps\"]; it must include \"secrets\", or the KMS key encrypts nothing."]],
            ["passes resources unknown in preview", p => { p.encryptionConfig.resources = UNKNOWN; }, []],
        ]);
});

describe("launch-template-imdsv2", () => {
    mutations(launchTemplateImdsPolicy(), "aws:ec2/launchTemplate:LaunchTemplate",
        { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 } }, [
            ["fails optional tokens", p => { p.metadataOptions.httpTokens = "optional"; },
                ['Launch template \'x\' has metadataOptions.httpTokens "optional"; it must be "required" (IMDSv2).']],
            ["fails without metadataOptions", p => { delete p.metadataOptions; },
                ['Launch template \'x\' has metadataOptions.httpTokens unset; it must be "required" (IMDSv2).']],
            ["fails a hop limit of 3", p => { p.metadataOptions.httpPutResponseHopLimit = 3; },
                ["Launch template 'x' has metadataOptions.httpPutResponseHopLimit 3; it must be at most 2."]],
        ]);
});

describe("kms-key-rotation", () => {
    mutations(kmsKeyRotationPolicy(), "aws:kms/key:Key", { enableKeyRotation: true }, [
        ["fails rotation off", p => { p.enableKeyRotation = false; }, ["KMS key 'x' has enableKeyRotation false; it must be true."]],
        ["fails rotation unset", p => { delete p.enableKeyRotation; }, ["KMS key 'x' has enableKeyRotation unset; it must be true."]],
        ["skips asymmetric keys, which cannot rotate", p => { delete p.enableKeyRotation; p.customerMasterKeySpec = "RSA_2048"; }, []],
    ]);
});

describe("security-group-no-public-ingress", () => {
    const policy = securityGroupPublicIngressPolicy();
    mutations(policy, "aws:ec2/securityGroup:SecurityGroup",
        { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, [
            ["fails 0.0.0.0/0 inline", p => { p.ingress[0].cidrBlocks = ["0.0.0.0/0"]; },
                ["'x' (aws:ec2/securityGroup:SecurityGroup) allows ingress from 0.0.0.0/0 on port 443; only ports [] may be open to the internet (publicIngressPorts)."]],
            ["fails ::/0 inline on all protocols", p => { p.ingress[0] = { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }; },
                ["'x' (aws:ec2/securityGroup:SecurityGroup) allows ingress from ::/0 on all ports; only ports [] may be open to the internet (publicIngressPorts)."]],
        ]);
    it("allows a configured public port and still fails a range around it", () => {
        const props = { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] };
        assert.deepStrictEqual(runResourcePolicy(policy, { type: "aws:ec2/securityGroupRule:SecurityGroupRule", props }, { publicIngressPorts: [443] }), []);
        assert.deepStrictEqual(runResourcePolicy(policy, { type: "aws:ec2/securityGroupRule:SecurityGroupRule", props: { ...props, toPort: 444 }, name: "r" }, { publicIngressPorts: [443] }), [
            "'r' (aws:ec2/securityGroupRule:SecurityGroupRule) allows ingress from 0.0.0.0/0 on ports 443-444; only ports [443] may be open to the internet (publicIngressPorts).",
        ]);
    });
    it("checks SecurityGroupIngressRule resources and ignores egress rules", () => {
        assert.deepStrictEqual(runResourcePolicy(policy, { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "i", props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" } }), [
            "'i' (aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule) allows ingress from 0.0.0.0/0 on port 22; only ports [] may be open to the internet (publicIngressPorts).",
        ]);
        assert.deepStrictEqual(runResourcePolicy(policy, { type: "aws:ec2/securityGroupRule:SecurityGroupRule", props: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] } }), []);
    });
});

describe("kinesis-stream-baseline", () => {
    mutations(kinesisStreamBaselinePolicy(), "aws:kinesis/stream:Stream", { encryptionType: "KMS", kmsKeyId: "arn:aws:kms:key/1", retentionPeriod: 48 }, [
        ["fails no encryption", p => { delete p.encryptionType; }, ['Kinesis stream \'x\' has encryptionType unset; it must be "KMS" with kmsKeyId.']],
        ["fails KMS without a key", p => { delete p.kmsKeyId; }, ["Kinesis stream 'x' uses KMS encryption without kmsKeyId; set it to a customer managed key."]],
        ["fails the 24 h default retention", p => { delete p.retentionPeriod; }, ["Kinesis stream 'x' keeps records 24 hours; retentionPeriod must be at least 48."]],
        ["passes a key ARN created in the same stack (unknown in preview)", p => { p.kmsKeyId = UNKNOWN; }, []],
    ]);
});

describe("firehose-baseline", () => {
    mutations(firehoseBaselinePolicy(), "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", {
        destination: "extended_s3", kinesisSourceConfiguration: { kinesisStreamArn: "arn:s", roleArn: "arn:r" },
        extendedS3Configuration: { bucketArn: "arn:b", kmsKeyArn: "arn:k", errorOutputPrefix: "errors/", cloudwatchLoggingOptions: { enabled: true } },
    }, [
        ["fails another destination", p => { p.destination = "http_endpoint"; }, ['Firehose \'x\' has destination "http_endpoint"; it must be "extended_s3".']],
        ["fails without a Kinesis source", p => { delete p.kinesisSourceConfiguration; }, ["Firehose 'x' has no kinesisSourceConfiguration; it must read from the Kinesis stream."]],
        ["fails without a KMS key", p => { delete p.extendedS3Configuration.kmsKeyArn; }, ["Firehose 'x' does not set extendedS3Configuration.kmsKeyArn; delivered objects must be encrypted with a KMS key."]],
        ["fails without an error prefix", p => { delete p.extendedS3Configuration.errorOutputPrefix; }, ["Firehose 'x' does not set extendedS3Configuration.errorOutputPrefix; failed records would mix with good data."]],
        ["fails with logging off", p => { p.extendedS3Configuration.cloudwatchLoggingOptions.enabled = false; }, ["Firehose 'x' has extendedS3Configuration.cloudwatchLoggingOptions.enabled false; it must be true."]],
        ["passes a key ARN created in the same stack (unknown in preview)", p => { p.extendedS3Configuration.kmsKeyArn = UNKNOWN; }, []],
    ]);
});

describe("eks-node-group-baseline", () => {
    const policy = eksNodeGroupBaselinePolicy();
    const MNG = "eks:index:ManagedNodeGroup";
    it("passes private subnets in three AZs, under mocks and in a real preview", () => {
        assert.deepStrictEqual(runStackPolicy(policy, platformStack(PROD_SHAPE)), []);
        assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...PROD_SHAPE, realPreview: "first" })), []);
    });
    it("fails public subnets on the aws:eks/nodeGroup child of a real preview (ids unknown, resolved through dependencies)", () => {
        const preview = platformStack({ ...PROD_SHAPE, realPreview: "first" });
        const publicUrns = ["net-public-0", "net-public-1"].map(n => preview.find(r => r.name === n)!.urn);
        const child = preview.find(r => r.type === "aws:eks/nodeGroup:NodeGroup")!;
        const stack = preview.map(r => r === child
            ? { ...r, props: { ...r.props, subnetIds: [UNKNOWN, UNKNOWN] }, propertyDependencies: { ...r.propertyDependencies, subnetIds: publicUrns } }
            : r);
        const vs = runStackPolicy(policy, stack);
        assert.deepStrictEqual(messages(vs), ["Node group 'cluster-nodes' places nodes in public subnet(s) net-public-0, net-public-1; use private subnets."]);
        assert.deepStrictEqual(vs.map(v => v.urn), [child.urn]);
    });
    it("fails public subnets", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.subnetIds = ["subnet-public-0", "subnet-private-1"]; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack)), ["Node group 'cluster-nodes' places nodes in public subnet(s) net-public-0; use private subnets."]);
    });
    it("fails a single AZ", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.subnetIds = ["subnet-private-0"]; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack)), ["Node group 'cluster-nodes' spans 1 availability zone(s) (us-east-1a); it needs subnets in at least 2."]);
    });
    it("fails a Graviton instance type on an x86 AMI type, under mocks and in a real preview", () => {
        const arm = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.instanceTypes = ["m7g.large"]; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, arm)), [
            "Node group 'cluster-nodes' runs AMI type AL2023_x86_64_STANDARD (x86_64) on instance type(s) m7g.large of the other architecture; its nodes would not boot. Use the AMI type of the instance types' architecture.",
        ]);
        const fixed = patched(arm, MNG, "cluster-nodes", p => { p.amiType = "AL2023_ARM_64_STANDARD"; });
        assert.deepStrictEqual(runStackPolicy(policy, fixed), []);
        const preview = patched(platformStack({ ...PROD_SHAPE, realPreview: "first" }), "aws:eks/nodeGroup:NodeGroup", "cluster-nodes", p => { p.amiType = "AL2023_ARM_64_STANDARD"; });
        assert.match(messages(runStackPolicy(policy, preview))[0], /runs AMI type AL2023_ARM_64_STANDARD \(arm64\) on instance type\(s\) m6a\.large of the other architecture/);
    });
    it("leaves an unknown or custom AMI type alone", () => {
        const unknown = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.instanceTypes = ["m7g.large"]; p.amiType = UNKNOWN; });
        assert.deepStrictEqual(runStackPolicy(policy, unknown), []);
        const custom = patched(unknown, MNG, "cluster-nodes", p => { p.amiType = "CUSTOM"; });
        assert.deepStrictEqual(runStackPolicy(policy, custom), []);
    });
    it("fails SSH remote access", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.remoteAccess = { ec2SshKey: "ops" }; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack)), ["Node group 'cluster-nodes' enables remoteAccess (SSH); use SSM Session Manager instead."]);
    });
    it("skips subnet checks when subnet ids are unknown or outside the stack, and resolves them through dependencies", () => {
        const unknown = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.subnetIds = [UNKNOWN, UNKNOWN]; });
        assert.deepStrictEqual(runStackPolicy(policy, unknown), []);
        const external = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.subnetIds = ["subnet-elsewhere"]; });
        assert.deepStrictEqual(runStackPolicy(policy, external), []);
        const stack = platformStack(PROD_SHAPE);
        const publicUrn = stack.find(r => r.name === "net-public-0")!.urn;
        const withDeps = stack.map(r => r.type === MNG ? { ...r, props: { ...r.props, subnetIds: [UNKNOWN] }, propertyDependencies: { subnetIds: [publicUrn] } } : r);
        assert.deepStrictEqual(messages(runStackPolicy(policy, withDeps)), [
            "Node group 'cluster-nodes' places nodes in public subnet(s) net-public-0; use private subnets.",
            "Node group 'cluster-nodes' spans 1 availability zone(s) (us-east-1a); it needs subnets in at least 2.",
        ]);
    });
    it("ignores node groups without subnets in the view", () => {
        assert.deepStrictEqual(runStackPolicy(policy, [res(MNG, "ng", {})]), []);
    });
});

describe("irsa-trust-policy", () => {
    const issuer = "oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const doc = (condition: Props) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity",
            Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}` }, Condition: condition,
        }],
    });
    const good = { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:ingest:writer", [`${issuer}:aud`]: "sts.amazonaws.com" } };
    mutations(irsaTrustPolicy(), "aws:iam/role:Role", { assumeRolePolicy: doc(good) }, [
        ["fails a missing aud", p => { p.assumeRolePolicy = doc({ StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:ingest:writer" } }); },
            [`IAM role 'x' trust policy: condition StringEquals on ${issuer}:aud is missing.`]],
        ["fails StringLike with a wildcard service account", p => { p.assumeRolePolicy = doc({ StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${issuer}:sub`]: "system:serviceaccount:ingest:*" } }); },
            [`IAM role 'x' trust policy: condition StringEquals on ${issuer}:sub is missing.`, "IAM role 'x' trust policy: condition operator(s) StringLike are not allowed; use StringEquals."]],
        ["fails a wildcard inside StringEquals", p => { p.assumeRolePolicy = doc({ StringEquals: { ...good.StringEquals, [`${issuer}:sub`]: "system:serviceaccount:ingest:*" } }); },
            [`IAM role 'x' trust policy: ${issuer}:sub must not contain a wildcard (found "system:serviceaccount:ingest:*").`]],
        ["ignores roles trusted by a non-EKS OIDC provider (GitHub Actions)", p => {
            p.assumeRolePolicy = JSON.stringify({ Statement: [{
                Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity",
                Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
                Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/iot:*" } },
            }] });
        }, []],
        ["ignores the EKS cluster service role pulumi-eks creates", p => {
            p.assumeRolePolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
        }, []],
        ["ignores service-principal roles", p => { p.assumeRolePolicy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }); }, []],
        ["skips a trust policy unknown during preview", p => { p.assumeRolePolicy = UNKNOWN; }, []],
    ]);
});
