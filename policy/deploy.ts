// Shapes that break a cluster deploy, and only after a long wait: what must fail in a preview instead.
//
// An EKS add-on whose pods are a Deployment turns ACTIVE only once they run; with no node to schedule
// on it stays DEGRADED until its create times out. @pulumi/eks v4 creates the managed coredns add-on
// inside the eks:index:Cluster component (nodejs/eks/cluster/cluster.ts at v4.3.0, createCore) when
// corednsAddonOptions enables it, and a managed node group takes the cluster as input, so it cannot
// start before the component has completed, which waits for that add-on. Nodes can exist in time only
// if the component creates them itself (its default node group, a Fargate profile, Auto Mode).
//
// The check runs on both shapes: under mocks on the component's inputs; in a real preview on its
// children (the component's inputs are not visible there), where an add-on inside the component is
// fine only if the component creates nodes or the add-on depends on a node group.
import { StackValidationPolicy } from "@pulumi/policy";
import { fromPolicyResources, StackGraph, StackResource } from "./lib/graph";
import { at, isUnknown } from "./lib/values";
import { keepsDefaultNodeGroup, shownByChildren, T } from "./nodes";

/**
 * Add-ons whose pods are a Deployment (they need a schedulable node to turn ACTIVE): coredns, and the
 * EBS CSI driver's controller.
 */
export const ADDONS_NEEDING_NODES: readonly string[] = ["coredns", "aws-ebs-csi-driver"];

const ADDON = "aws:eks/addon:Addon";
const ADDON_COMPONENT = "eks:index:Addon";
/** What gives a cluster nodes (or Fargate capacity), as resources or as the @pulumi/eks components holding them. */
const CAPACITY_TYPES: readonly string[] = [
    T.awsNodeGroup, T.managedNodeGroup, T.nodeGroup, T.nodeGroupV2, T.autoscalingGroup,
    "aws:eks/fargateProfile:FargateProfile",
];
/** What the eks:index:Cluster component itself creates when it has nodes of its own. */
const OWN_CAPACITY_TYPES: readonly string[] = [T.autoscalingGroup, T.cloudFormationStack, "aws:eks/fargateProfile:FargateProfile"];

const enabled = (v: unknown) => v !== undefined && v !== false && !isUnknown(v);

/**
 * Under mocks: whether the component's inputs create the managed coredns add-on with no nodes of its
 * own. Mirrors @pulumi/eks v4.3.0: coredns is created when explicitly enabled (or configured) whatever
 * the node groups; without a default node group, Fargate or Auto Mode nothing can run it.
 */
function corednsWithoutNodes(cluster: StackResource): boolean {
    const options = at(cluster.props, "corednsAddonOptions");
    const explicit = at(options, "enabled") === true || enabled(at(options, "configurationValues"));
    const skip = at(cluster.props, "skipDefaultNodeGroup");
    const fargate = at(cluster.props, "fargate");
    const autoMode = at(cluster.props, "autoMode", "enabled");
    if (!explicit || skip !== true || isUnknown(fargate) || isUnknown(autoMode)) {
        return false;
    }
    return !enabled(fargate) && autoMode !== true;
}

/** Whether the component creates nodes of its own: from its children in a real preview, else from its inputs. */
function createsOwnNodes(graph: StackGraph, cluster: StackResource): boolean {
    if (!shownByChildren(graph, cluster)) {
        const fargate = at(cluster.props, "fargate");
        const autoMode = at(cluster.props, "autoMode", "enabled");
        return keepsDefaultNodeGroup(cluster) !== false || isUnknown(fargate) || enabled(fargate) || isUnknown(autoMode) || autoMode === true;
    }
    return graph.hasDescendantOfType(cluster, OWN_CAPACITY_TYPES) || graph.resources.some(r =>
        r.type === T.awsEksCluster && r.parent === cluster.urn && at(r.props, "computeConfig", "enabled") === true);
}

/** Whether `r`, or a component between it and `cluster` (an eks:index:Addon), depends on node capacity. */
function dependsOnNodes(graph: StackGraph, r: StackResource, cluster: StackResource): boolean {
    const chain = [r];
    for (const a of graph.ancestors(r)) {
        if (a.urn === cluster.urn) {
            break;
        }
        chain.push(a);
    }
    return chain.some(link => (link.dependencies ?? []).some(u => {
        const dep = graph.byUrn.get(u);
        return dep !== undefined && (CAPACITY_TYPES.includes(dep.type) || graph.hasDescendantOfType(dep, CAPACITY_TYPES));
    }));
}

export function addonsNeedNodesPolicy(): StackValidationPolicy {
    return {
        name: "eks-addons-need-nodes",
        description: "Add-ons whose pods need nodes (coredns, EBS CSI) are not created inside an EKS cluster component that has no nodes of its own unless they depend on a node group: they would stay DEGRADED until the deploy times out.",
        enforcementLevel: "mandatory",
        validateStack: (args, reportViolation) => {
            const graph = new StackGraph(fromPolicyResources(args.resources));
            for (const cluster of graph.ofType(T.eksCluster)) {
                if (!shownByChildren(graph, cluster) && corednsWithoutNodes(cluster)) {
                    reportViolation(
                        `EKS cluster '${cluster.name}' creates the managed coredns add-on (corednsAddonOptions) with skipDefaultNodeGroup and no Fargate or Auto Mode: ` +
                        "no node can join before the cluster component completes, so the add-on stays DEGRADED until the deploy times out. " +
                        "Set corednsAddonOptions.enabled to false and create coredns as an aws.eks.Addon that depends on the node group.",
                        cluster.urn,
                    );
                }
            }
            for (const addon of graph.ofType(ADDON, ADDON_COMPONENT)) {
                const name = at(addon.props, "addonName");
                if (typeof name !== "string" || !ADDONS_NEEDING_NODES.includes(name) || graph.hasDescendantOfType(addon, [ADDON])) {
                    continue;
                }
                const cluster = graph.ancestors(addon).find(a => a.type === T.eksCluster);
                if (!cluster || createsOwnNodes(graph, cluster) || dependsOnNodes(graph, addon, cluster)) {
                    continue;
                }
                reportViolation(
                    `Add-on '${addon.name}' (${name}) is created inside EKS cluster '${cluster.name}', which creates no nodes of its own (default node group, Fargate, Auto Mode), ` +
                    "and depends on no node group: its pods cannot be scheduled, so it stays DEGRADED until the deploy times out. " +
                    "Create it after the node group (dependsOn the node group); for the coredns add-on of @pulumi/eks set corednsAddonOptions.enabled to false.",
                    addon.urn,
                );
            }
        },
    };
}
