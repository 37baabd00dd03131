import { strict as assert } from "assert";
import { RecordedResource } from "../../tools/mockProgram";
import { Cluster } from "../../components/cluster/Cluster";
import { recordProgram, runPlatformProgram } from "../../tools/mockProgram";
import { childrenOf, ofType, one, runStack, withConfig } from "../util";

describe("Cluster", () => {
    let resources: RecordedResource[];
    let eks: RecordedResource;
    let nodeGroup: RecordedResource;
    before(async () => {
        resources = (await runStack("prod")).resources;
        eks = one(resources, "eks:index:Cluster");
        nodeGroup = one(resources, "eks:index:ManagedNodeGroup");
    });

    it("is a child of the iot:cluster:Cluster component", () => {
        const component = one(resources, "iot:cluster:Cluster");
        assert.ok(childrenOf(resources, component).includes(eks));
        assert.ok(childrenOf(resources, component).includes(nodeGroup));
    });

    it("uses access entries, no default node group and an OIDC provider", () => {
        assert.equal(eks.inputs.authenticationMode, "API");
        assert.equal(eks.inputs.skipDefaultNodeGroup, true);
        assert.equal(eks.inputs.createOidcProvider, true);
    });

    it("keeps the private endpoint on and the public one restricted", () => {
        assert.equal(eks.inputs.endpointPrivateAccess, true);
        assert.equal(eks.inputs.endpointPublicAccess, true);
        assert.deepEqual(eks.inputs.publicAccessCidrs, ["203.0.113.0/24"]);
    });

    it("gives the CI roles of the stack file access entries: deploy cluster-admin, preview read-only", () => {
        assert.deepEqual(Object.keys(eks.inputs.accessEntries), ["deploy", "preview"]);
        const { deploy, preview } = eks.inputs.accessEntries;
        assert.equal(deploy.principalArn, "arn:aws:iam::123456789012:role/iot-platform-prod-deploy");
        assert.deepEqual(deploy.accessPolicies, {
            admin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } },
        });
        assert.equal(preview.principalArn, "arn:aws:iam::123456789012:role/iot-platform-prod-preview");
        assert.deepEqual(preview.accessPolicies, {
            read: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", accessScope: { type: "cluster" } },
        });
        assert.ok([deploy, preview].every((entry) => entry.type === "STANDARD"));
    });

    it("grants cluster-admin through an access entry to each configured role", async () => {
        const arn = "arn:aws:iam::123456789012:role/platform-admin";
        const run = await runPlatformProgram(withConfig("prod", "cluster", (c) => { c.value.adminRoleArns = [arn]; c.value.access = {}; }));
        const entries = one(run.resources, "eks:index:Cluster").inputs.accessEntries;
        assert.deepEqual(Object.keys(entries), ["admin-0"]);
        assert.equal(entries["admin-0"].principalArn, arn);
        assert.equal(entries["admin-0"].type, "STANDARD");
        assert.deepEqual(entries["admin-0"].accessPolicies.admin, {
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
        });
    });

    it("refuses a role given two access entries, which EKS would reject halfway through the deploy", async () => {
        const arn = "arn:aws:iam::210987654321:role/ci";
        await assert.rejects(recordProgram(() => new Cluster("c", {
            clusterName: "c", kubernetesVersion: "1.34", vpcId: "vpc-1", publicSubnetIds: [], privateSubnetIds: ["subnet-a", "subnet-b"],
            adminRoleArns: [arn], access: { deployRoleArn: arn }, tags: {},
        })), /each role may have one access entry only; listed more than once: arn:aws:iam::210987654321:role\/ci/);
    });

    it("opens the private endpoint to no one but the nodes by default", () => {
        const rules = ofType(resources, "aws:ec2/securityGroupRule:SecurityGroupRule").filter((r) => r.name.includes("-api-from-"));
        assert.deepEqual(rules, []);
    });

    it("lets configured in-VPC runners reach the private endpoint on 443 only, by range and by security group", async () => {
        const run = await runPlatformProgram(withConfig("prod", "cluster", (c) => {
            c.value.apiIngress = { cidrs: ["10.99.0.0/24"], securityGroupIds: ["sg-0123456789abcdef0"] };
        }));
        const clusterSg = one(run.resources, "eks:index:Cluster").outputs.clusterSecurityGroupId;
        const rules = ofType(run.resources, "aws:ec2/securityGroupRule:SecurityGroupRule").filter((r) => r.name.includes("-api-from-"));
        assert.deepEqual(rules.map((r) => [r.inputs.type, r.inputs.protocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.securityGroupId]), [
            ["ingress", "tcp", 443, 443, clusterSg],
            ["ingress", "tcp", 443, 443, clusterSg],
        ]);
        assert.deepEqual(one(rules, "aws:ec2/securityGroupRule:SecurityGroupRule", "-api-from-cidrs").inputs.cidrBlocks, ["10.99.0.0/24"]);
        const bySg = one(rules, "aws:ec2/securityGroupRule:SecurityGroupRule", "-api-from-sg-0123456789abcdef0");
        assert.equal(bySg.inputs.sourceSecurityGroupId, "sg-0123456789abcdef0");
    });

    it("encrypts secrets with a rotating KMS key", () => {
        const key = one(resources, "aws:kms/key:Key", "cluster-secrets");
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.match(eks.inputs.encryptionConfigKeyArn, /^arn:aws:kms:us-east-1:\d{12}:key\//);
    });

    it("ships all five control-plane log types to a group with retention", () => {
        assert.deepEqual(eks.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        const logs = one(resources, "aws:cloudwatch/logGroup:LogGroup", "control-plane");
        assert.equal(logs.inputs.name, "/aws/eks/iot-platform-prod/cluster");
        assert.equal(logs.inputs.retentionInDays, 90);
    });

    it("pins the Kubernetes version and names the cluster after project and environment", () => {
        assert.equal(eks.inputs.version, "1.35");
        assert.equal(eks.inputs.name, "iot-platform-prod");
    });

    it("moves the nodes and its own add-ons with the pinned version, so a version bump upgrades them too", () => {
        // With a launch template @pulumi/eks leaves the node group's version unset; EKS then keeps the nodes on the old one.
        assert.equal(nodeGroup.inputs.version, "1.35");
        // The mocked getAddonVersion answers v1.<minor>.0-eksbuild.1 for the version it is asked about.
        for (const addon of ["cluster-coredns", "cluster-ebs-csi"]) {
            assert.equal(one(resources, "aws:eks/addon:Addon", addon).inputs.addonVersion, "v1.35.0-eksbuild.1", addon);
        }
    });

    it("enables network policy enforcement in the VPC CNI, and kube-proxy, inside eks.Cluster", () => {
        assert.equal(eks.inputs.vpcCniOptions.enableNetworkPolicy, true);
        assert.equal(eks.inputs.kubeProxyAddonOptions.enabled, true);
    });

    it("creates coredns as its own add-on once the node group exists, not inside eks.Cluster", () => {
        assert.equal(eks.inputs.corednsAddonOptions.enabled, false);
        const coredns = one(resources, "aws:eks/addon:Addon", "cluster-coredns");
        assert.equal(coredns.name, "iot-platform-prod-cluster-coredns");
        assert.equal(coredns.inputs.addonName, "coredns");
        assert.equal(coredns.inputs.clusterName, "iot-platform-prod");
        assert.equal(coredns.inputs.resolveConflictsOnCreate, "OVERWRITE");
        assert.ok(coredns.dependencies.includes(nodeGroup.urn));
        assert.ok(coredns.dependencies.includes(eks.urn));
    });

    it("runs three desired m6a.large nodes, min 3, max 6, on demand, on the x86_64 AL2023 AMI", () => {
        assert.deepEqual(nodeGroup.inputs.scalingConfig, { minSize: 3, desiredSize: 3, maxSize: 6 });
        assert.deepEqual(nodeGroup.inputs.instanceTypes, ["m6a.large"]);
        assert.equal(nodeGroup.inputs.amiType, "AL2023_x86_64_STANDARD");
        assert.equal(nodeGroup.inputs.capacityType, "ON_DEMAND");
        assert.equal(nodeGroup.inputs.ignoreScalingChanges, true);
    });

    it("selects the arm64 AL2023 AMI for a Graviton instance type", async () => {
        const run = await runPlatformProgram(withConfig("prod", "cluster", (c) => { c.value.nodes.instanceType = "m7g.large"; }));
        const group = one(run.resources, "eks:index:ManagedNodeGroup");
        assert.deepEqual(group.inputs.instanceTypes, ["m7g.large"]);
        assert.equal(group.inputs.amiType, "AL2023_ARM_64_STANDARD");
    });

    it("places nodes only in the private subnets, one per zone", () => {
        const privateIds = ofType(resources, "aws:ec2/subnet:Subnet")
            .filter((s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1")
            .map((s) => s.name);
        assert.equal(nodeGroup.inputs.subnetIds.length, 3);
        assert.ok(nodeGroup.inputs.subnetIds.every((id: string) => id.startsWith("subnet-")));
        assert.equal(privateIds.length, 3);
        assert.deepEqual(nodeGroup.inputs.subnetIds, eks.inputs.privateSubnetIds);
    });

    it("requires IMDSv2 and encrypts the gp3 root volume through its launch template", () => {
        const lt = one(resources, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepEqual(lt.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        assert.deepEqual(lt.inputs.blockDeviceMappings[0].ebs, { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" });
        assert.match(nodeGroup.inputs.launchTemplate.id, /^lt-/);
    });

    it("tags the node group for cluster-autoscaler discovery", () => {
        assert.equal(nodeGroup.inputs.tags["k8s.io/cluster-autoscaler/enabled"], "true");
        assert.equal(nodeGroup.inputs.tags["k8s.io/cluster-autoscaler/iot-platform-prod"], "owned");
    });

    it("gives the node role only the worker, CNI and ECR read-only policies", () => {
        const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.includes("-node-"));
        assert.deepEqual(attachments.map((a) => a.inputs.policyArn).sort(), [
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        ]);
    });

    it("installs the EBS CSI driver with its own IRSA role bound to its service account", () => {
        const addon = one(resources, "aws:eks/addon:Addon", "ebs-csi");
        assert.equal(addon.inputs.addonName, "aws-ebs-csi-driver");
        assert.equal(addon.inputs.clusterName, "iot-platform-prod");
        const role = one(resources, "aws:iam/role:Role", "cluster-ebs-csi");
        assert.equal(role.inputs.namePrefix, "iot-platform-prod-ebs-csi-controller-");
        assert.match(addon.inputs.serviceAccountRoleArn, /^arn:aws:iam::123456789012:role\/iot-platform-prod-ebs-csi-controller-\d{26}$/);
        const trust = JSON.parse(role.inputs.assumeRolePolicy);
        const conditions = trust.Statement[0].Condition.StringEquals;
        const sub = Object.entries(conditions).find(([k]) => k.endsWith(":sub"));
        const aud = Object.entries(conditions).find(([k]) => k.endsWith(":aud"));
        assert.deepEqual(sub?.[1], "system:serviceaccount:kube-system:ebs-csi-controller-sa");
        assert.deepEqual(aud?.[1], "sts.amazonaws.com");
        assert.match(trust.Statement[0].Principal.Federated, /:oidc-provider\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//);
    });

    it("makes an encrypted gp3 StorageClass the default", () => {
        const sc = one(resources, "kubernetes:storage.k8s.io/v1:StorageClass", "gp3");
        assert.equal(sc.inputs.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
        assert.deepEqual(sc.inputs.parameters, { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" });
        assert.equal(sc.inputs.provisioner, "ebs.csi.aws.com");
    });
});
