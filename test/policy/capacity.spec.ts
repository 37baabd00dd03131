import * as assert from "assert";
import { nodeCapacityPolicy, workloadPods } from "../../policy/capacity";
import { StackGraph } from "../../policy/lib/graph";
import { collectNodeGroups } from "../../policy/nodes";
import { messages, patched, platformStack, policyConfig, PROD_SHAPE, res, runStackPolicy, STAGING_SHAPE, UNKNOWN } from "./util";

const MNG = "eks:index:ManagedNodeGroup";

describe("node-capacity policy", () => {
    const policy = nodeCapacityPolicy();
    const prodConfig = policyConfig("prod", "node-capacity");

    it("passes the shipped configs on their stacks, as under mocks and in a real preview", () => {
        for (const realPreview of [undefined, "first", "update"] as const) {
            assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...PROD_SHAPE, realPreview }), prodConfig), []);
            assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...STAGING_SHAPE, realPreview }), policyConfig("staging", "node-capacity")), []);
        }
    });

    it("fails the prod-shaped stack against the staging limits", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, platformStack(PROD_SHAPE), policyConfig("staging", "node-capacity"))), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses instance type(s) m6a.large; allowed: t3.large, m6i.large (limit: policy config → node-capacity.allowedInstanceTypes).",
            "'cluster-nodes' (eks:index:ManagedNodeGroup) can scale to 6 nodes; the limit per node group is 3 (limit: policy config → node-capacity.maxNodesPerGroup).",
            "Node groups can scale to 6 nodes in total (cluster-nodes=6); the limit is 3 (limit: policy config → node-capacity.maxTotalNodes).",
        ]);
    });

    it("fails a node group max raised above the limit, with the count", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.scalingConfig.maxSize = 7; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) can scale to 7 nodes; the limit per node group is 6 (limit: policy config → node-capacity.maxNodesPerGroup).",
            "Node groups can scale to 7 nodes in total (cluster-nodes=7); the limit is 6 (limit: policy config → node-capacity.maxTotalNodes).",
        ]);
    });

    it("fails an instance type that is not allowed, naming it", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.instanceTypes = ["r7i.4xlarge"]; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses instance type(s) r7i.4xlarge; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
        ]);
    });

    it("fails an instance type the instance catalogue does not know, which no config can allow", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.instanceTypes = ["m5.24xlarge"]; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses instance type(s) m5.24xlarge; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses instance type(s) m5.24xlarge that the instance catalogue 2025.06.2 (policy/instances.ts) does not know, so their capacity and price are unknown.",
        ]);
    });

    it("fails spot capacity where spot is not allowed", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.capacityType = "SPOT"; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses spot capacity, which is not allowed in this environment (limit: policy config → node-capacity.spotAllowed).",
        ]);
    });

    it("fails a launch template with a disallowed instance type", () => {
        const stack = patched(platformStack(PROD_SHAPE), "aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes", p => { p.instanceType = "t3.medium"; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "Launch template 'cluster-nodes' sets instance type t3.medium; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
        ]);
    });

    it("counts an eks:index:Cluster that keeps its default node group from its inputs under mocks", () => {
        const cluster = res("eks:index:Cluster", "c", { instanceType: "m6i.large", desiredCapacity: 2, minSize: 1, maxSize: 4 });
        const ownMng = res(MNG, "extra", { instanceTypes: ["m6i.large"], scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 3 } }, cluster);
        const groups = collectNodeGroups(new StackGraph([cluster, ownMng])).groups;
        assert.deepStrictEqual(groups.map(g => [g.resource.name, g.max]), [["c", 4], ["extra", 3]]);
        assert.deepStrictEqual(messages(runStackPolicy(policy, [cluster, ownMng], prodConfig)), [
            "Node groups can scale to 7 nodes in total (c=4, extra=3); the limit is 6 (limit: policy config → node-capacity.maxTotalNodes).",
        ]);
        assert.deepStrictEqual(collectNodeGroups(new StackGraph([res("eks:index:Cluster", "c", { skipDefaultNodeGroup: true })])).groups, []);
    });

    it("counts a real preview's default node group through its autoscaling group, once", () => {
        // given: pulumi-eks registers the component without inputs; its children carry the settings
        const cluster = res("eks:index:Cluster", "c", {});
        const child = res("aws:eks/cluster:Cluster", "c-eksCluster", { version: "1.34" }, cluster);
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "c-launchTemplate", { id: UNKNOWN, instanceType: "t3.medium" }, cluster);
        const asg = res("aws:autoscaling/group:Group", "c", { desiredCapacity: 2, minSize: 1, maxSize: 2, launchTemplate: { id: UNKNOWN, version: UNKNOWN } },
            cluster, { propertyDependencies: { launchTemplate: [lt.urn] } });
        // when / then
        assert.deepStrictEqual(collectNodeGroups(new StackGraph([cluster, child, lt, asg])).groups.map(g => [g.resource.type, g.max]),
            [["aws:autoscaling/group:Group", 2]]);
        assert.deepStrictEqual(messages(runStackPolicy(policy, [cluster, child, lt, asg], prodConfig)), [
            "'c' (aws:autoscaling/group:Group) uses instance type(s) t3.medium; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
            "Launch template 'c-launchTemplate' sets instance type t3.medium; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
        ]);
        // a cluster with skipDefaultNodeGroup has no such children and counts zero nodes
        assert.deepStrictEqual(collectNodeGroups(new StackGraph([cluster, child])).groups, []);
    });

    it("checks the aws:eks/nodeGroup child in a real preview: instance type and max size", () => {
        const NG = "aws:eks/nodeGroup:NodeGroup";
        const preview = platformStack({ ...PROD_SHAPE, realPreview: "first" });
        assert.deepStrictEqual(messages(runStackPolicy(policy, patched(preview, NG, "cluster-nodes", p => { p.instanceTypes = ["r7i.4xlarge"]; }), prodConfig)), [
            "'cluster-nodes' (aws:eks/nodeGroup:NodeGroup) uses instance type(s) r7i.4xlarge; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
        ]);
        assert.deepStrictEqual(messages(runStackPolicy(policy, patched(preview, NG, "cluster-nodes", p => { p.scalingConfig.maxSize = 7; }), prodConfig)), [
            "'cluster-nodes' (aws:eks/nodeGroup:NodeGroup) can scale to 7 nodes; the limit per node group is 6 (limit: policy config → node-capacity.maxNodesPerGroup).",
            "Node groups can scale to 7 nodes in total (cluster-nodes=7); the limit is 6 (limit: policy config → node-capacity.maxTotalNodes).",
        ]);
    });

    it("reports a self-managed eks:index:NodeGroup whose autoscaling group is inside CloudFormation", () => {
        const ng = res("eks:index:NodeGroup", "old", {});
        const cfn = res("aws:cloudformation/stack:Stack", "old-nodes", { templateBody: UNKNOWN }, ng);
        assert.deepStrictEqual(messages(runStackPolicy(policy, [ng, cfn], prodConfig)), [
            "Cannot check capacity: self-managed node group stack 'old-nodes' (eks:index:NodeGroup) keeps its autoscaling group inside CloudFormation, so its size and instance type cannot be read; use eks:index:NodeGroupV2 or a managed node group.",
        ]);
    });

    it("fails an autoscaling group whose instance type cannot be resolved", () => {
        const asg = res("aws:autoscaling/group:Group", "asg", { minSize: 1, maxSize: 2, launchTemplate: { id: "lt-elsewhere" } });
        assert.deepStrictEqual(messages(runStackPolicy(policy, [asg], prodConfig)), [
            "Cannot check capacity: instance type of autoscaling group 'asg' cannot be resolved: it needs a launch template from this stack with instanceType, or mixedInstancesPolicy overrides.",
        ]);
    });

    it("resolves an autoscaling group's instance type through its launch template", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { id: "lt-1", instanceType: "c7i.large" });
        const asg = res("aws:autoscaling/group:Group", "asg", { minSize: 1, maxSize: 2, launchTemplate: { id: "lt-1" } });
        assert.deepStrictEqual(messages(runStackPolicy(policy, [lt, asg], prodConfig)), [
            "'asg' (aws:autoscaling/group:Group) uses instance type(s) c7i.large; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
            "Launch template 'lt' sets instance type c7i.large; allowed: m6a.large, m6a.xlarge, m6i.large, m6i.xlarge, m7i.large, m7i.xlarge, m7g.large, m7g.xlarge (limit: policy config → node-capacity.allowedInstanceTypes).",
        ]);
    });

    it("does not fail on values unknown during preview", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => {
            p.instanceTypes = UNKNOWN; p.launchTemplate = { id: UNKNOWN, version: UNKNOWN }; p.subnetIds = UNKNOWN;
        });
        assert.deepStrictEqual(runStackPolicy(policy, stack, prodConfig), []);
    });

    it("rejects a config with an unknown field", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, [], { ...prodConfig, maxNodes: 3 })), [
            "Invalid policy config for 'node-capacity': maxNodes is not an allowed field (allowed: maxTotalNodes, maxNodesPerGroup, allowedInstanceTypes, spotAllowed). Run with --policy-pack-config policy/config/<env>.json.",
        ]);
    });

    describe("pod density", () => {
        const ng = res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["m6a.large"], scalingConfig: { desiredSize: 2, minSize: 2, maxSize: 2 } });
        const app = (name: string, maxReplicas: number) => [
            res("kubernetes:apps/v1:Deployment", `${name}-deploy`, { metadata: { name, namespace: name }, spec: {} }),
            res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${name}-hpa`, {
                metadata: { name, namespace: name }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name }, maxReplicas },
            }),
        ];
        const agent = res("kubernetes:apps/v1:DaemonSet", "agent", { metadata: { name: "agent", namespace: "kube-system" }, spec: {} });
        const config = { ...prodConfig, allowedInstanceTypes: ["m6a.large"] };

        it("counts HPA maxima, plain replicas and DaemonSets on every node", () => {
            const single = res("kubernetes:apps/v1:Deployment", "single", { metadata: { name: "single" }, spec: { replicas: 3 } });
            const unset = res("kubernetes:apps/v1:Deployment", "unset", { metadata: { name: "unset" }, spec: {} });
            // 20 (HPA) + 3 + 1 + 2 nodes × 1 DaemonSet
            assert.strictEqual(workloadPods(new StackGraph([...app("a", 20), single, unset, agent]), 2), 26);
        });

        it("fails when the workloads can reach more pods than the node groups admit, with the numbers", () => {
            // given 2 × m6a.large admit 2 × 29 = 58 pods; 56 app pods + 2 DaemonSet pods fit
            assert.deepStrictEqual(runStackPolicy(policy, [ng, ...app("a", 30), ...app("b", 26), agent], config), []);
            // when one more replica
            assert.deepStrictEqual(messages(runStackPolicy(policy, [ng, ...app("a", 30), ...app("b", 27), agent], config)), [
                "The stack's workloads can reach 59 pods (HPA maxima, replicas, DaemonSets on 2 nodes; Helm releases not counted), " +
                    "over the 58 pods the node groups admit at max size (ng: 2 × 29) (limit: policy/instances.ts → INSTANCE_CATALOGUE max pods per node).",
            ]);
        });

        it("does not count what it cannot see: an unknown replica count or instance type", () => {
            const unknownReplicas = res("kubernetes:apps/v1:Deployment", "u", { metadata: { name: "u" }, spec: { replicas: UNKNOWN } });
            assert.strictEqual(workloadPods(new StackGraph([unknownReplicas]), 2), 0);
            const unknownType = res("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: UNKNOWN, scalingConfig: { maxSize: 1 } });
            assert.deepStrictEqual(runStackPolicy(policy, [unknownType, ...app("a", 500)], config), []);
        });
    });
});
