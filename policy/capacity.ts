// Node capacity limits per environment.
import { StackValidationPolicy } from "@pulumi/policy";
import { StrictConfigSchema } from "./lib/config";
import { codeLimit, configLimit } from "./lib/limits";
import { configuredStackCheck } from "./lib/policy";
import { fromPolicyResources, StackGraph } from "./lib/graph";
import { at, isUnknown, toNumber, UNKNOWN } from "./lib/values";
import { INSTANCE_CATALOGUE, instanceType, maxPods } from "./instances";
import { collectNodeGroups, NodeGroupCapacity, T } from "./nodes";

export interface CapacityConfig {
    maxTotalNodes: number;
    maxNodesPerGroup: number;
    allowedInstanceTypes: string[];
    spotAllowed: boolean;
}

export const capacityConfigSchema: StrictConfigSchema = {
    properties: {
        maxTotalNodes: { type: "integer", minimum: 0, description: "Sum of max sizes over all node groups" },
        maxNodesPerGroup: { type: "integer", minimum: 0, description: "Max size of any one node group" },
        // Only types of the instance catalogue: the program sizes and the pack prices exactly these.
        allowedInstanceTypes: { type: "array", items: { type: "string", enum: Object.keys(INSTANCE_CATALOGUE.types) }, minItems: 1, uniqueItems: true },
        spotAllowed: { type: "boolean" },
    },
    required: ["maxTotalNodes", "maxNodesPerGroup", "allowedInstanceTypes", "spotAllowed"],
    additionalProperties: false,
};

const SCALED_KINDS: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:Deployment": "Deployment",
    "kubernetes:apps/v1:StatefulSet": "StatefulSet",
};
const HPA_TYPES = ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:autoscaling/v1:HorizontalPodAutoscaler"];
const DAEMONSET = "kubernetes:apps/v1:DaemonSet";

/**
 * Pods the stack's own workloads can reach: an HPA's maxReplicas for the Deployment or StatefulSet
 * it scales, else its replicas (1 when unset), and each DaemonSet once per node. A lower bound: the
 * pods of Helm releases and of workloads whose counts are unknown are not visible to the pack (the
 * program's capacity check counts the charts' pods).
 */
export function workloadPods(graph: StackGraph, nodes: number): number {
    const key = (kind: unknown, namespace: unknown, name: unknown) => `${String(kind)}/${String(namespace ?? "default")}/${String(name)}`;
    const scaled = new Map<string, number>();
    for (const hpa of graph.ofType(...HPA_TYPES)) {
        const target = at(hpa.props, "spec", "scaleTargetRef");
        const max = toNumber(at(hpa.props, "spec", "maxReplicas"));
        if (typeof max === "number" && !isUnknown(target)) {
            scaled.set(key(at(target, "kind"), at(hpa.props, "metadata", "namespace"), at(target, "name")), max);
        }
    }
    let pods = 0;
    for (const w of graph.ofType(...Object.keys(SCALED_KINDS))) {
        const name = at(w.props, "metadata", "name");
        const byHpa = isUnknown(name) ? undefined : scaled.get(key(SCALED_KINDS[w.type], at(w.props, "metadata", "namespace"), name));
        const replicas = byHpa ?? toNumber(at(w.props, "spec", "replicas")) ?? 1;
        pods += typeof replicas === "number" ? replicas : 0;
    }
    return pods + graph.ofType(DAEMONSET).length * nodes;
}

/** Pods the node groups admit at max size (catalogue max pods per node); undefined when a group's type or size is unknown. */
function podSlots(groups: readonly NodeGroupCapacity[]): { slots: number; parts: string[] } | undefined {
    let slots = 0;
    const parts: string[] = [];
    for (const g of groups) {
        if (g.instanceTypes === UNKNOWN || g.max === UNKNOWN) {
            return undefined;
        }
        // The largest type's limit: a mixed group may run it, and the pack must not refuse what could fit.
        const perNode = Math.max(...g.instanceTypes.map(t => instanceType(t)).map(e => (e ? maxPods(e) : NaN)));
        if (Number.isNaN(perNode) || g.instanceTypes.length === 0) {
            return undefined;
        }
        slots += g.max * perNode;
        parts.push(`${g.resource.name}: ${g.max} × ${perNode}`);
    }
    return { slots, parts };
}

export function nodeCapacityPolicy(): StackValidationPolicy {
    const name = "node-capacity";
    return configuredStackCheck<CapacityConfig>({
        name,
        description: "Node groups, autoscaling groups and instances stay within the environment's node counts, instance types and spot rules, and admit the pods the stack's workloads can reach.",
        configSchema: capacityConfigSchema,
        check: (config, args, reportViolation) => {
            const graph = new StackGraph(fromPolicyResources(args.resources));
            const allowed = `${config.allowedInstanceTypes.join(", ")} ${configLimit(name, "allowedInstanceTypes")}`;
            const { groups, problems } = collectNodeGroups(graph);
            for (const p of problems) {
                reportViolation(`Cannot check capacity: ${p.message}.`, p.resource.urn);
            }
            let total = 0;
            for (const g of groups) {
                const r = g.resource;
                if (g.instanceTypes !== UNKNOWN) {
                    const bad = g.instanceTypes.filter(t => !config.allowedInstanceTypes.includes(t));
                    if (bad.length > 0) {
                        reportViolation(`'${r.name}' (${r.type}) uses instance type(s) ${bad.join(", ")}; allowed: ${allowed}.`, r.urn);
                    }
                    const unknown = g.instanceTypes.filter(t => instanceType(t) === undefined);
                    if (unknown.length > 0) {
                        reportViolation(`'${r.name}' (${r.type}) uses instance type(s) ${unknown.join(", ")} that the instance catalogue ${INSTANCE_CATALOGUE.version} (policy/instances.ts) does not know, so their capacity and price are unknown.`, r.urn);
                    }
                }
                if (g.max !== UNKNOWN) {
                    total += g.max;
                    if (g.max > config.maxNodesPerGroup) {
                        reportViolation(`'${r.name}' (${r.type}) can scale to ${g.max} nodes; the limit per node group is ${config.maxNodesPerGroup} ${configLimit(name, "maxNodesPerGroup")}.`, r.urn);
                    }
                }
                if (g.spot === true && !config.spotAllowed) {
                    reportViolation(`'${r.name}' (${r.type}) uses spot capacity, which is not allowed in this environment ${configLimit(name, "spotAllowed")}.`, r.urn);
                }
            }
            const slots = podSlots(groups);
            if (slots !== undefined && groups.length > 0) {
                const pods = workloadPods(graph, total);
                if (pods > slots.slots) {
                    reportViolation(`The stack's workloads can reach ${pods} pods (HPA maxima, replicas, DaemonSets on ${total} nodes; Helm releases not counted), ` +
                        `over the ${slots.slots} pods the node groups admit at max size (${slots.parts.join(", ")}) ${codeLimit("policy/instances.ts", "INSTANCE_CATALOGUE max pods per node")}.`);
                }
            }
            if (total > config.maxTotalNodes) {
                const parts = groups.filter(g => g.max !== UNKNOWN).map(g => `${g.resource.name}=${String(g.max)}`).join(", ");
                reportViolation(`Node groups can scale to ${total} nodes in total (${parts}); the limit is ${config.maxTotalNodes} ${configLimit(name, "maxTotalNodes")}.`);
            }
            for (const lt of graph.ofType(T.launchTemplate)) {
                const type = at(lt.props, "instanceType");
                if (typeof type === "string" && !config.allowedInstanceTypes.includes(type)) {
                    reportViolation(`Launch template '${lt.name}' sets instance type ${type}; allowed: ${allowed}.`, lt.urn);
                }
            }
        },
    });
}
