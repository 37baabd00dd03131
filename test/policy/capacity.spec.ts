import * as assert from "assert";
import { nodeCapacityPolicy } from "../../policy/capacity";
import { StackGraph } from "../../policy/lib/graph";
import { collectNodeGroups } from "../../policy/nodes";
import { messages, patched, platformStack, policyConfig, PROD_SHAPE, res, runStackPolicy, STAGING_SHAPE, UNKNOWN } from "./util";

const MNG = "eks:index:ManagedNodeGroup";

describe("node-capacity policy", () => {
    const policy = nodeCapacityPolicy();
    const prodConfig = policyConfig("prod", "node-capacity");

    it("passes the shipped configs on their stacks, as under mocks and in a real preview", () => {
        for (const realPreview of [false, true]) {
            assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...PROD_SHAPE, realPreview }), prodConfig), []);
            assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...STAGING_SHAPE, realPreview }), policyConfig("staging", "node-capacity")), []);
        }
    });

    it("fails the prod-shaped stack against the staging limits", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, platformStack(PROD_SHAPE), policyConfig("staging", "node-capacity"))), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) can scale to 6 nodes; the limit per node group is 3.",
            "Node groups can scale to 6 nodes in total (cluster-nodes=6); the limit is 3.",
        ]);
    });

    it("fails a node group max raised above the limit, with the count", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.scalingConfig.maxSize = 7; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) can scale to 7 nodes; the limit per node group is 6.",
            "Node groups can scale to 7 nodes in total (cluster-nodes=7); the limit is 6.",
        ]);
    });

    it("fails an instance type that is not allowed, naming it", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.instanceTypes = ["m5.24xlarge"]; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses instance type(s) m5.24xlarge; allowed: m6i.large, m6i.xlarge, m7i.large, m7i.xlarge.",
        ]);
    });

    it("fails spot capacity where spot is not allowed", () => {
        const stack = patched(platformStack(PROD_SHAPE), MNG, "cluster-nodes", p => { p.capacityType = "SPOT"; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "'cluster-nodes' (eks:index:ManagedNodeGroup) uses spot capacity, which is not allowed in this environment.",
        ]);
    });

    it("fails a launch template with a disallowed instance type", () => {
        const stack = patched(platformStack(PROD_SHAPE), "aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes", p => { p.instanceType = "t3.medium"; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, stack, prodConfig)), [
            "Launch template 'cluster-nodes' sets instance type t3.medium; allowed: m6i.large, m6i.xlarge, m7i.large, m7i.xlarge.",
        ]);
    });

    it("counts an eks:index:Cluster that keeps its default node group, and its real-preview children once", () => {
        const cluster = res("eks:index:Cluster", "c", { instanceType: "m6i.large", desiredCapacity: 2, minSize: 1, maxSize: 4 });
        const child = res("aws:autoscaling/group:Group", "c-nodes", { minSize: 1, maxSize: 4 }, cluster);
        const ownMng = res(MNG, "extra", { instanceTypes: ["m6i.large"], scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 3 } }, cluster);
        const groups = collectNodeGroups(new StackGraph([cluster, child, ownMng])).groups;
        assert.deepStrictEqual(groups.map(g => [g.resource.name, g.max]), [["c", 4], ["extra", 3]]);
        assert.deepStrictEqual(messages(runStackPolicy(policy, [cluster, child, ownMng], prodConfig)), [
            "Node groups can scale to 7 nodes in total (c=4, extra=3); the limit is 6.",
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
            "'asg' (aws:autoscaling/group:Group) uses instance type(s) c7i.large; allowed: m6i.large, m6i.xlarge, m7i.large, m7i.xlarge.",
            "Launch template 'lt' sets instance type c7i.large; allowed: m6i.large, m6i.xlarge, m7i.large, m7i.xlarge.",
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
});
