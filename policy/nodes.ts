// What runs EC2 capacity in a stack, counted once.
//
// @pulumi/eks components look different in the two places the pack runs:
// - under mocks (offline check) only the component is visible, holding the program's inputs;
// - in a real preview the pulumi-eks provider registers the component itself with no inputs (the Node
//   SDK does not send a ComponentResource's args to the engine), so AnalyzeStack sees only its
//   registered outputs, and the resources it creates (aws:eks/cluster:Cluster, aws:eks/nodeGroup:NodeGroup,
//   the default node group's launch template and autoscaling group) are visible as its descendants.
// A component whose real children are visible is therefore skipped and its children are counted; a
// component without them is counted from its inputs.
import { StackGraph, StackResource } from "./lib/graph";
import { at, hasUnknown, isUnknown, listAt, toNumber, UNKNOWN, Unknown } from "./lib/values";

export const T = {
    awsNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    managedNodeGroup: "eks:index:ManagedNodeGroup",
    nodeGroup: "eks:index:NodeGroup",
    nodeGroupV2: "eks:index:NodeGroupV2",
    eksCluster: "eks:index:Cluster",
    awsEksCluster: "aws:eks/cluster:Cluster",
    autoscalingGroup: "aws:autoscaling/group:Group",
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    cloudFormationStack: "aws:cloudformation/stack:Stack",
} as const;

/** @pulumi/eks documented defaults (cluster.d.ts, nodeGroupV2.d.ts, managedNodeGroup.d.ts). */
export const EKS_DEFAULTS = { desired: 2, min: 1, max: 2, instanceType: "t3.medium", rootVolumeGb: 20, rootVolumeType: "gp2" };
/** EKS API default instance type of a managed node group without instanceTypes or launch template type. */
const MANAGED_DEFAULT_INSTANCE_TYPE = "t3.medium";
/** Root volume of an instance/ASG whose launch template or block device mapping does not say. */
const AMI_DEFAULT_ROOT_VOLUME = { sizeGb: 20, type: "gp2" };
const EC2_DEFAULT_ROOT_VOLUME = { sizeGb: 8, type: "gp2" };

export interface RootVolume { sizeGb: number; type: string }

export interface NodeGroupCapacity {
    resource: StackResource;
    /** In priority order; the first is the one expected to run. */
    instanceTypes: string[] | Unknown;
    desired: number | Unknown;
    min: number | Unknown;
    max: number | Unknown;
    spot: boolean | Unknown;
    rootVolume: RootVolume | Unknown;
}

export interface CapacityProblem { resource: StackResource; message: string }

/** false when skipped (explicitly, or implied by Fargate / Auto Mode), UNKNOWN when that is not known yet. */
export function keepsDefaultNodeGroup(cluster: StackResource): boolean | Unknown {
    const skip = at(cluster.props, "skipDefaultNodeGroup");
    const fargate = at(cluster.props, "fargate");
    const autoMode = at(cluster.props, "autoMode", "enabled");
    if (skip === true || (fargate !== undefined && fargate !== false && !isUnknown(fargate)) || autoMode === true) {
        return false;
    }
    return isUnknown(skip) || isUnknown(fargate) || isUnknown(autoMode) ? UNKNOWN : true;
}

/** The custom resources that carry an @pulumi/eks component's settings when it runs for real. */
const REAL_CHILDREN: Readonly<Record<string, readonly string[]>> = {
    [T.eksCluster]: [T.awsEksCluster],
    [T.managedNodeGroup]: [T.awsNodeGroup],
    [T.nodeGroupV2]: [T.autoscalingGroup],
    [T.nodeGroup]: [T.autoscalingGroup, T.cloudFormationStack],
};

/**
 * True for an @pulumi/eks component whose real children are visible (a real preview): the component's
 * props are then its outputs, not its inputs, and its children are checked and counted instead.
 */
export function shownByChildren(graph: StackGraph, r: StackResource): boolean {
    const children = REAL_CHILDREN[r.type];
    return children !== undefined && graph.hasDescendantOfType(r, children);
}

function num(v: unknown, fallback: number): number | Unknown {
    const n = toNumber(v);
    return n === undefined ? fallback : n;
}

function stringList(v: unknown[] | Unknown | undefined): string[] | Unknown | undefined {
    if (v === undefined) {
        return undefined;
    }
    if (v === UNKNOWN || hasUnknown(v)) {
        return UNKNOWN;
    }
    return v.filter((x): x is string => typeof x === "string");
}

function launchTemplateRootVolume(lt: StackResource): RootVolume | Unknown {
    const mappings = listAt(lt.props, "blockDeviceMappings");
    if (mappings === UNKNOWN) {
        return UNKNOWN;
    }
    const ebs = (mappings ?? []).map(m => at(m, "ebs")).find(e => e !== undefined);
    if (ebs === undefined) {
        return AMI_DEFAULT_ROOT_VOLUME;
    }
    const size = num(at(ebs, "volumeSize"), AMI_DEFAULT_ROOT_VOLUME.sizeGb);
    const type = at(ebs, "volumeType");
    if (size === UNKNOWN || isUnknown(type)) {
        return UNKNOWN;
    }
    return { sizeGb: size, type: typeof type === "string" ? type : AMI_DEFAULT_ROOT_VOLUME.type };
}

function launchTemplateInstanceType(lt: StackResource): string[] | Unknown | undefined {
    const t = at(lt.props, "instanceType");
    if (t === UNKNOWN) {
        return UNKNOWN;
    }
    return typeof t === "string" ? [t] : undefined;
}

function managedNodeGroup(graph: StackGraph, r: StackResource, problems: CapacityProblem[]): NodeGroupCapacity {
    const ltRef = at(r.props, "launchTemplate");
    let lt: StackResource | Unknown | undefined;
    if (ltRef !== undefined) {
        const id = ltRef === UNKNOWN ? UNKNOWN : at(ltRef, "id") ?? at(ltRef, "name");
        lt = graph.resolve(id, [T.launchTemplate], r, "launchTemplate");
        if (lt === undefined) {
            problems.push({ resource: r, message: `launch template ${JSON.stringify(id)} of node group '${r.name}' is not part of the stack, so its root volume cannot be priced` });
        }
    }
    const ltObj = lt !== undefined && lt !== UNKNOWN ? lt : undefined;
    const declared = stringList(listAt(r.props, "instanceTypes"));
    let instanceTypes: string[] | Unknown;
    if (declared !== undefined) {
        instanceTypes = declared;
    } else if (lt === UNKNOWN) {
        instanceTypes = UNKNOWN;
    } else {
        instanceTypes = (ltObj && launchTemplateInstanceType(ltObj)) ?? [MANAGED_DEFAULT_INSTANCE_TYPE];
    }
    let rootVolume: RootVolume | Unknown;
    if (lt === UNKNOWN) {
        rootVolume = UNKNOWN;
    } else if (ltObj) {
        rootVolume = launchTemplateRootVolume(ltObj);
    } else {
        const size = num(at(r.props, "diskSize"), EKS_DEFAULTS.rootVolumeGb);
        rootVolume = size === UNKNOWN ? UNKNOWN : { sizeGb: size, type: AMI_DEFAULT_ROOT_VOLUME.type };
    }
    const capacityType = at(r.props, "capacityType");
    return {
        resource: r,
        instanceTypes,
        desired: num(at(r.props, "scalingConfig", "desiredSize"), EKS_DEFAULTS.desired),
        min: num(at(r.props, "scalingConfig", "minSize"), EKS_DEFAULTS.min),
        max: num(at(r.props, "scalingConfig", "maxSize"), EKS_DEFAULTS.max),
        spot: isUnknown(capacityType) ? UNKNOWN : capacityType === "SPOT",
        rootVolume,
    };
}

/** eks:index:NodeGroup(V2) and the default node group of an eks:index:Cluster share these args. */
function selfManagedEksGroup(r: StackResource, options: (key: string) => unknown): NodeGroupCapacity {
    const type = options("instanceType");
    const size = num(options("nodeRootVolumeSize"), EKS_DEFAULTS.rootVolumeGb);
    const volumeType = options("nodeRootVolumeType");
    const spotPrice = options("spotPrice");
    return {
        resource: r,
        instanceTypes: isUnknown(type) ? UNKNOWN : [typeof type === "string" ? type : EKS_DEFAULTS.instanceType],
        desired: num(options("desiredCapacity"), EKS_DEFAULTS.desired),
        min: num(options("minSize"), EKS_DEFAULTS.min),
        max: num(options("maxSize"), EKS_DEFAULTS.max),
        spot: isUnknown(spotPrice) ? UNKNOWN : spotPrice !== undefined && spotPrice !== "",
        rootVolume: size === UNKNOWN || isUnknown(volumeType)
            ? UNKNOWN
            : { sizeGb: size, type: typeof volumeType === "string" ? volumeType : EKS_DEFAULTS.rootVolumeType },
    };
}

function autoscalingGroup(graph: StackGraph, r: StackResource, problems: CapacityProblem[]): NodeGroupCapacity {
    const mixed = at(r.props, "mixedInstancesPolicy");
    const spec = mixed === UNKNOWN ? UNKNOWN : mixed !== undefined
        ? at(mixed, "launchTemplate", "launchTemplateSpecification")
        : at(r.props, "launchTemplate");
    const ref = spec === UNKNOWN ? UNKNOWN : spec === undefined ? undefined
        : at(spec, "id") ?? at(spec, "launchTemplateId") ?? at(spec, "name") ?? at(spec, "launchTemplateName");
    const lt = ref === undefined ? undefined
        : graph.resolve(ref, [T.launchTemplate], r, mixed !== undefined ? "mixedInstancesPolicy" : "launchTemplate");
    const ltObj = lt !== undefined && lt !== UNKNOWN ? lt : undefined;

    const overrides = mixed !== undefined && mixed !== UNKNOWN ? listAt(mixed, "launchTemplate", "overrides") : undefined;
    const overrideTypes = overrides === UNKNOWN ? UNKNOWN
        : stringList((overrides ?? []).map(o => at(o, "instanceType")).filter(t => t !== undefined));
    let instanceTypes: string[] | Unknown | undefined =
        overrideTypes === UNKNOWN || (overrideTypes && overrideTypes.length > 0) ? overrideTypes : undefined;
    if (instanceTypes === undefined) {
        instanceTypes = lt === UNKNOWN ? UNKNOWN : ltObj ? launchTemplateInstanceType(ltObj) : undefined;
    }
    if (instanceTypes === undefined) {
        problems.push({
            resource: r,
            message: `instance type of autoscaling group '${r.name}' cannot be resolved: ` +
                "it needs a launch template from this stack with instanceType, or mixedInstancesPolicy overrides",
        });
    }
    const onDemandPct = mixed !== undefined && mixed !== UNKNOWN
        ? toNumber(at(mixed, "instancesDistribution", "onDemandPercentageAboveBaseCapacity")) : undefined;
    const market = ltObj ? at(ltObj.props, "instanceMarketOptions", "marketType") : undefined;
    const min = num(at(r.props, "minSize"), 0);
    return {
        resource: r,
        instanceTypes: instanceTypes ?? [],
        desired: num(at(r.props, "desiredCapacity"), min === UNKNOWN ? 0 : min),
        min,
        max: num(at(r.props, "maxSize"), 0),
        spot: isUnknown(onDemandPct) || isUnknown(market) || mixed === UNKNOWN
            ? UNKNOWN
            : (onDemandPct !== undefined && onDemandPct < 100) || market === "spot",
        rootVolume: lt === UNKNOWN ? UNKNOWN : ltObj ? launchTemplateRootVolume(ltObj) : AMI_DEFAULT_ROOT_VOLUME,
    };
}

function ec2Instance(r: StackResource): NodeGroupCapacity {
    const type = at(r.props, "instanceType");
    const market = at(r.props, "instanceMarketOptions", "marketType");
    const size = num(at(r.props, "rootBlockDevice", "volumeSize"), EC2_DEFAULT_ROOT_VOLUME.sizeGb);
    const volumeType = at(r.props, "rootBlockDevice", "volumeType");
    return {
        resource: r,
        instanceTypes: isUnknown(type) ? UNKNOWN : typeof type === "string" ? [type] : [],
        desired: 1,
        min: 1,
        max: 1,
        spot: isUnknown(market) ? UNKNOWN : market === "spot",
        rootVolume: size === UNKNOWN || isUnknown(volumeType)
            ? UNKNOWN
            : { sizeGb: size, type: typeof volumeType === "string" ? volumeType : EC2_DEFAULT_ROOT_VOLUME.type },
    };
}

/** Every group of EC2 capacity in the stack, each counted once, plus what could not be resolved. */
export function collectNodeGroups(graph: StackGraph): { groups: NodeGroupCapacity[]; problems: CapacityProblem[] } {
    const groups: NodeGroupCapacity[] = [];
    const problems: CapacityProblem[] = [];
    for (const r of graph.resources) {
        if (shownByChildren(graph, r)) {
            continue;
        }
        switch (r.type) {
            case T.awsNodeGroup:
            case T.managedNodeGroup:
                groups.push(managedNodeGroup(graph, r, problems));
                break;
            case T.nodeGroup:
            case T.nodeGroupV2:
                groups.push(selfManagedEksGroup(r, key => at(r.props, key)));
                break;
            case T.eksCluster:
                // UNKNOWN is counted: under-counting is the failure mode a budget must not have.
                if (keepsDefaultNodeGroup(r) !== false) {
                    groups.push(selfManagedEksGroup(r, key => at(r.props, key) ?? at(r.props, "nodeGroupOptions", key)));
                }
                break;
            case T.autoscalingGroup:
                groups.push(autoscalingGroup(graph, r, problems));
                break;
            case T.instance:
                groups.push(ec2Instance(r));
                break;
            case T.cloudFormationStack:
                if (graph.ancestors(r).some(a => a.type === T.nodeGroup)) {
                    problems.push({
                        resource: r,
                        message: `self-managed node group stack '${r.name}' (eks:index:NodeGroup) keeps its autoscaling group inside CloudFormation, ` +
                            "so its size and instance type cannot be read; use eks:index:NodeGroupV2 or a managed node group",
                    });
                }
                break;
        }
    }
    return { groups, problems };
}
