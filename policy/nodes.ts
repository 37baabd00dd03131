// What runs EC2 capacity in a stack, counted once.
//
// In a real preview the children of @pulumi/eks remote components are visible next to the component
// (an eks:index:ManagedNodeGroup and its aws:eks/nodeGroup:NodeGroup, an eks:index:Cluster and the
// autoscaling group / CloudFormation stack of its default node group); under mocks only the component
// is. A capacity-bearing resource is therefore counted only when no ancestor already accounts for it.
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

/** The pieces a self-managed node group (including an eks:index:Cluster's default one) is built from. */
const SELF_MANAGED_PARTS: readonly string[] = [T.nodeGroup, T.nodeGroupV2, T.autoscalingGroup, T.cloudFormationStack];

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

function subsumes(owner: StackResource, r: StackResource): boolean {
    switch (owner.type) {
        case T.managedNodeGroup:
        case T.nodeGroup:
        case T.nodeGroupV2:
        case T.autoscalingGroup:
            return true;
        case T.eksCluster:
            // An unknown skipDefaultNodeGroup is treated as "kept": the group is then counted at the
            // cluster (documented defaults), so its real-preview children must not be counted again.
            return r.type === T.awsEksCluster ||
                (SELF_MANAGED_PARTS.includes(r.type) && keepsDefaultNodeGroup(owner) !== false);
        default:
            return false;
    }
}

/** The ancestor that already accounts for `r`'s cost and capacity, if any. */
export function accountedBy(graph: StackGraph, r: StackResource): StackResource | undefined {
    return graph.ancestors(r).find(a => subsumes(a, r));
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
        if (accountedBy(graph, r)) {
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
        }
    }
    return { groups, problems };
}
