/**
 * The deploy order the program declares, as the engine will follow it. A resource waits for its
 * parent and for what it depends on, and those for theirs: on a first `pulumi up`, whatever needs
 * pods scheduled must be reachable that way from the node group, or it waits (up to its timeout) on
 * nodes that do not exist yet; and nothing the node group waits for may need nodes, or the two wait
 * for each other (pulumi/pulumi-eks#1819).
 */
import { strict as assert } from "assert";
import { RecordedResource } from "../../tools/mockProgram";
import { one, runStack } from "../util";

const NODE_GROUP = "eks:index:ManagedNodeGroup";

/**
 * EKS add-ons that are DaemonSets only: with no nodes they have no pods to wait for and turn ACTIVE
 * (the node group even needs vpc-cni to become Ready). Every other add-on runs a Deployment.
 */
const DAEMONSET_ADDONS: ReadonlySet<string> = new Set(["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);

/** Types whose create waits for running pods. */
const WAITS_FOR_PODS: ReadonlySet<string> = new Set([
    "kubernetes:helm.sh/v3:Release",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:batch/v1:Job",
]);

/** Whether creating `r` waits for pods to run; for a remote eks.Cluster, whether its add-on children would. */
function needsNodes(r: RecordedResource): boolean {
    if (r.type === "aws:eks/addon:Addon") {
        return !DAEMONSET_ADDONS.has(r.inputs.addonName);
    }
    if (r.type === "eks:index:Cluster") {
        // pulumi-eks v4.3.0 (nodejs/eks/cluster/cluster.ts) creates the coredns add-on inside the
        // component by default only with compute of its own (default node group, Fargate, Auto Mode),
        // and always when it is enabled explicitly, compute or not.
        const coredns = r.inputs.corednsAddonOptions ?? {};
        const explicitlyEnabled = coredns.enabled === true || coredns.configurationValues !== undefined;
        const ownCompute = r.inputs.skipDefaultNodeGroup !== true || Boolean(r.inputs.fargate) || r.inputs.autoMode?.enabled === true;
        return explicitlyEnabled && !ownCompute;
    }
    return WAITS_FOR_PODS.has(r.type);
}

/** Everything `start` waits for before it is created: its parents, its dependencies, and theirs. */
function waitsFor(resources: readonly RecordedResource[], start: RecordedResource): Set<string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const queue = [start.urn];
    while (queue.length > 0) {
        const r = byUrn.get(queue.shift()!);
        for (const next of r ? [...(r.parent ? [r.parent] : []), ...r.dependencies] : []) {
            if (!seen.has(next)) {
                seen.add(next);
                queue.push(next);
            }
        }
    }
    return seen;
}

/** What needs nodes without waiting for the node group, and what the node group waits for that needs nodes. */
function orderProblems(resources: readonly RecordedResource[]): string[] {
    const nodeGroups = resources.filter((r) => r.type === NODE_GROUP);
    if (nodeGroups.length === 0) {
        return ["no managed node group"];
    }
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const problems: string[] = [];
    const beforeNodes = new Set<string>();
    for (const group of nodeGroups) {
        for (const urn of waitsFor(resources, group)) {
            beforeNodes.add(urn);
            const r = byUrn.get(urn);
            if (r && needsNodes(r)) {
                problems.push(`${NODE_GROUP} ${group.name} waits for ${r.type} ${r.name}, which needs nodes`);
            }
        }
    }
    // What the node group waits for is reported above: it cannot also wait for the node group.
    for (const r of resources.filter((r) => needsNodes(r) && !beforeNodes.has(r.urn))) {
        const before = waitsFor(resources, r);
        if (!nodeGroups.some((group) => before.has(group.urn))) {
            problems.push(`${r.type} ${r.name} needs nodes but does not wait for the node group`);
        }
    }
    return problems;
}

describe("deploy order on a first `pulumi up`", () => {
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: everything that needs nodes waits for the node group, and the node group waits for nothing that does`, async () => {
            const { resources, config } = await runStack(stack);
            assert.deepEqual(orderProblems(resources), []);
            // The rule is not vacuous: the add-ons, Helm releases and app Deployments are all checked.
            const checked = resources.filter(needsNodes).map((r) => r.type);
            assert.deepEqual([...new Set(checked)].sort(), ["aws:eks/addon:Addon", "kubernetes:apps/v1:Deployment", "kubernetes:helm.sh/v3:Release"]);
            // coredns and EBS CSI, four Helm releases, one Deployment per catalog app.
            assert.equal(checked.length, 2 + 4 + config.apps.length);
        });
    }

    it("the node group waits for the cluster, whose add-ons are DaemonSets only", async () => {
        const { resources } = await runStack("prod");
        const cluster = one(resources, "eks:index:Cluster");
        assert.ok(waitsFor(resources, one(resources, NODE_GROUP)).has(cluster.urn));
        assert.equal(needsNodes(cluster), false);
    });

    describe("the rule itself", () => {
        const resource = (name: string, type: string, extra: Partial<RecordedResource> = {}): RecordedResource => ({
            type, name, urn: `urn:${name}`, parent: undefined, inputs: {}, outputs: {}, custom: true, dependencies: [], additionalSecretOutputs: [], ...extra,
        });
        const cluster = (inputs: Record<string, unknown>) => resource("eks", "eks:index:Cluster", { custom: false, inputs });
        const group = resource("nodes", NODE_GROUP, { custom: false, dependencies: ["urn:eks"] });

        it("flags a Helm release that waits for nothing, but not one whose parent waits for the nodes", () => {
            const parent = resource("monitoring", "iot:monitoring:Monitoring", { custom: false, dependencies: ["urn:nodes"] });
            const ordered = resource("chart", "kubernetes:helm.sh/v3:Release", { parent: "urn:monitoring" });
            const loose = resource("loose", "kubernetes:helm.sh/v3:Release");
            assert.deepEqual(orderProblems([cluster({ skipDefaultNodeGroup: true }), group, parent, ordered, loose]), [
                "kubernetes:helm.sh/v3:Release loose needs nodes but does not wait for the node group",
            ]);
        });

        it("follows waits through other resources", () => {
            const middle = resource("middle", "kubernetes:core/v1:Namespace", { dependencies: ["urn:nodes"] });
            const app = resource("app", "kubernetes:apps/v1:Deployment", { dependencies: ["urn:middle"] });
            assert.deepEqual(orderProblems([cluster({ skipDefaultNodeGroup: true }), group, middle, app]), []);
        });

        it("flags the managed coredns add-on inside eks.Cluster when it has no nodes of its own", () => {
            assert.deepEqual(orderProblems([cluster({ skipDefaultNodeGroup: true, corednsAddonOptions: { enabled: true } }), group]), [
                "eks:index:ManagedNodeGroup nodes waits for eks:index:Cluster eks, which needs nodes",
            ]);
            assert.deepEqual(orderProblems([cluster({ skipDefaultNodeGroup: true, corednsAddonOptions: { enabled: false } }), group]), []);
        });

        it("treats vpc-cni and kube-proxy as safe before nodes, and any other add-on as needing them", () => {
            const cni = resource("cni", "aws:eks/addon:Addon", { inputs: { addonName: "vpc-cni" } });
            const csi = resource("csi", "aws:eks/addon:Addon", { inputs: { addonName: "aws-ebs-csi-driver" } });
            assert.deepEqual(orderProblems([cluster({ skipDefaultNodeGroup: true }), group, cni, csi]), [
                "aws:eks/addon:Addon csi needs nodes but does not wait for the node group",
            ]);
        });
    });
});
