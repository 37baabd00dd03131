import * as assert from "assert";
import { addonsNeedNodesPolicy } from "../../policy/deploy";
import { StackResource } from "../../policy/lib/graph";
import { patched, platformStack, PROD_SHAPE, res, runStackPolicy, STAGING_SHAPE, UNKNOWN } from "./util";

const ADDON = "aws:eks/addon:Addon";
const find = (stack: StackResource[], type: string, name: string) => stack.find(r => r.type === type && r.name === name)!;

/** The coredns add-on @pulumi/eks v4.3.0 creates inside the cluster component when corednsAddonOptions enables it. */
function withComponentCoredns(stack: StackResource[]): StackResource[] {
    const component = find(stack, "eks:index:Cluster", "cluster-eks");
    const cluster = find(stack, "aws:eks/cluster:Cluster", "cluster-eks-eksCluster");
    const clusterName = find(stack, ADDON, "cluster-eks-kube-proxy").props.clusterName;
    return [...stack, res(ADDON, "cluster-eks-coredns", { addonName: "coredns", clusterName, preserve: true }, component,
        { propertyDependencies: { clusterName: [cluster.urn] }, dependencies: [cluster.urn] })];
}

const COMPONENT_INPUTS_MESSAGE =
    "EKS cluster 'cluster-eks' creates the managed coredns add-on (corednsAddonOptions) with skipDefaultNodeGroup and no Fargate or Auto Mode: " +
    "no node can join before the cluster component completes, so the add-on stays DEGRADED until the deploy times out. " +
    "Set corednsAddonOptions.enabled to false and create coredns as an aws.eks.Addon that depends on the node group.";

const childMessage = (addon: string, name = "coredns") =>
    `Add-on '${addon}' (${name}) is created inside EKS cluster 'cluster-eks', which creates no nodes of its own (default node group, Fargate, Auto Mode), ` +
    "and depends on no node group: its pods cannot be scheduled, so it stays DEGRADED until the deploy times out. " +
    "Create it after the node group (dependsOn the node group); for the coredns add-on of @pulumi/eks set corednsAddonOptions.enabled to false.";

describe("eks-addons-need-nodes", () => {
    const policy = addonsNeedNodesPolicy();

    it("passes both stacks, with coredns and EBS CSI created after the node group, in every shape", () => {
        for (const shape of [PROD_SHAPE, STAGING_SHAPE]) {
            for (const realPreview of [undefined, "first", "update"] as const) {
                assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...shape, realPreview })), [], `${shape.env} ${realPreview ?? "mocks"}`);
            }
        }
    });

    describe("under mocks (the component's inputs)", () => {
        const enableCoredns = (patch: (p: Record<string, any>) => void = () => undefined) =>
            patched(platformStack(PROD_SHAPE), "eks:index:Cluster", "cluster-eks", p => { p.corednsAddonOptions = { enabled: true }; patch(p); });

        it("fails the managed coredns add-on with skipDefaultNodeGroup and no Fargate", () => {
            const stack = enableCoredns();
            assert.deepStrictEqual(runStackPolicy(policy, stack), [{ message: COMPONENT_INPUTS_MESSAGE, urn: find(stack, "eks:index:Cluster", "cluster-eks").urn }]);
        });

        it("fails coredns configuration values, which enable the add-on as well", () => {
            const stack = patched(platformStack(PROD_SHAPE), "eks:index:Cluster", "cluster-eks", p => { p.corednsAddonOptions = { configurationValues: { replicaCount: 2 } }; });
            assert.deepStrictEqual(runStackPolicy(policy, stack).map(v => v.message), [COMPONENT_INPUTS_MESSAGE]);
        });

        it("passes when the component has nodes of its own: default node group, Fargate, Auto Mode", () => {
            for (const patch of [
                (p: Record<string, any>) => { p.skipDefaultNodeGroup = false; },
                (p: Record<string, any>) => { p.fargate = true; },
                (p: Record<string, any>) => { p.autoMode = { enabled: true }; },
            ]) {
                assert.deepStrictEqual(runStackPolicy(policy, enableCoredns(patch)), []);
            }
        });

        it("passes coredns left at its default with skipDefaultNodeGroup (@pulumi/eks then does not create it)", () => {
            const stack = patched(platformStack(PROD_SHAPE), "eks:index:Cluster", "cluster-eks", p => { delete p.corednsAddonOptions; });
            assert.deepStrictEqual(runStackPolicy(policy, stack), []);
        });

        it("skips a cluster whose Fargate setting is unknown", () => {
            assert.deepStrictEqual(runStackPolicy(policy, enableCoredns(p => { p.fargate = UNKNOWN; })), []);
        });
    });

    describe("in a real preview (the component's children)", () => {
        for (const realPreview of ["first", "update"] as const) {
            it(`fails the coredns add-on inside the cluster component with no node group it depends on (${realPreview} preview)`, () => {
                const stack = withComponentCoredns(platformStack({ ...PROD_SHAPE, realPreview }));
                assert.deepStrictEqual(runStackPolicy(policy, stack), [{ message: childMessage("cluster-eks-coredns"), urn: find(stack, ADDON, "cluster-eks-coredns").urn }]);
            });
        }

        it("fails an EBS CSI add-on created inside the cluster component without a dependency on the node group", () => {
            const preview = platformStack({ ...PROD_SHAPE, realPreview: "first" });
            const component = find(preview, "eks:index:Cluster", "cluster-eks");
            const stack = [...preview, res(ADDON, "cluster-eks-ebs", { addonName: "aws-ebs-csi-driver" }, component)];
            assert.deepStrictEqual(runStackPolicy(policy, stack).map(v => v.message), [childMessage("cluster-eks-ebs", "aws-ebs-csi-driver")]);
        });

        it("passes an add-on inside the cluster component that depends on the node group, directly or through its eks:index:Addon", () => {
            const preview = platformStack({ ...PROD_SHAPE, realPreview: "first" });
            const component = find(preview, "eks:index:Cluster", "cluster-eks");
            const nodeGroup = find(preview, "eks:index:ManagedNodeGroup", "cluster-nodes");
            const wrapper = res("eks:index:Addon", "cluster-eks-coredns", { addonName: "coredns" }, component, { dependencies: [nodeGroup.urn] });
            const inWrapper = res(ADDON, "cluster-eks-coredns", { addonName: "coredns" }, wrapper);
            assert.deepStrictEqual(runStackPolicy(policy, [...preview, wrapper, inWrapper]), []);
            const direct = res(ADDON, "cluster-eks-coredns", { addonName: "coredns" }, component, { dependencies: [nodeGroup.urn] });
            assert.deepStrictEqual(runStackPolicy(policy, [...preview, direct]), []);
            // the same eks:index:Addon without the dependency fails, on the add-on it creates
            const bare = { ...wrapper, dependencies: [] };
            assert.deepStrictEqual(runStackPolicy(policy, [...preview, bare, inWrapper]).map(v => v.urn), [inWrapper.urn]);
        });

        it("passes coredns inside a cluster component that creates nodes: default node group, Fargate profile, Auto Mode", () => {
            const preview = withComponentCoredns(platformStack({ ...PROD_SHAPE, realPreview: "update" }));
            const component = find(preview, "eks:index:Cluster", "cluster-eks");
            assert.deepStrictEqual(runStackPolicy(policy, [...preview, res("aws:autoscaling/group:Group", "cluster-eks", { minSize: 1, maxSize: 2 }, component)]), []);
            assert.deepStrictEqual(runStackPolicy(policy, [...preview, res("aws:eks/fargateProfile:FargateProfile", "cluster-eks-fargateProfile", {}, component)]), []);
            const autoMode = patched(preview, "aws:eks/cluster:Cluster", "cluster-eks-eksCluster", p => { p.computeConfig = { enabled: true }; });
            assert.deepStrictEqual(runStackPolicy(policy, autoMode), []);
        });

        it("skips an add-on whose name is unknown", () => {
            const stack = patched(withComponentCoredns(platformStack({ ...PROD_SHAPE, realPreview: "first" })), ADDON, "cluster-eks-coredns", p => { p.addonName = UNKNOWN; });
            assert.deepStrictEqual(runStackPolicy(policy, stack), []);
        });
    });
});
