import { strict as assert } from "assert";
import { RecordedResource } from "../../tools/mockProgram";
import { runPlatformProgram } from "../../tools/mockProgram";
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

    it("grants cluster-admin to no extra role by default", () => {
        assert.deepEqual(eks.inputs.accessEntries, {});
    });

    it("grants cluster-admin through an access entry to each configured role", async () => {
        const arn = "arn:aws:iam::123456789012:role/platform-admin";
        const run = await runPlatformProgram(withConfig("prod", "cluster", (c) => { c.value.adminRoleArns = [arn]; }));
        const entries = one(run.resources, "eks:index:Cluster").inputs.accessEntries;
        assert.deepEqual(Object.keys(entries), ["admin-0"]);
        assert.equal(entries["admin-0"].principalArn, arn);
        assert.equal(entries["admin-0"].type, "STANDARD");
        assert.deepEqual(entries["admin-0"].accessPolicies.admin, {
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
        });
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
        assert.equal(eks.inputs.version, "1.34");
        assert.equal(eks.inputs.name, "iot-platform-prod");
    });

    it("enables network policy enforcement in the VPC CNI, and the core add-ons", () => {
        assert.equal(eks.inputs.vpcCniOptions.enableNetworkPolicy, true);
        assert.equal(eks.inputs.corednsAddonOptions.enabled, true);
        assert.equal(eks.inputs.kubeProxyAddonOptions.enabled, true);
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
