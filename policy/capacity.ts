// Node capacity limits per environment.
import { StackValidationPolicy } from "@pulumi/policy";
import { StrictConfigSchema } from "./lib/config";
import { configuredStackCheck } from "./lib/policy";
import { fromPolicyResources, StackGraph } from "./lib/graph";
import { at, UNKNOWN } from "./lib/values";
import { INSTANCE_CATALOGUE, instanceType } from "./instances";
import { collectNodeGroups, T } from "./nodes";

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

export function nodeCapacityPolicy(): StackValidationPolicy {
    const name = "node-capacity";
    return configuredStackCheck<CapacityConfig>({
        name,
        description: "Node groups, autoscaling groups and instances stay within the environment's node counts, instance types and spot rules.",
        configSchema: capacityConfigSchema,
        check: (config, args, reportViolation) => {
            const graph = new StackGraph(fromPolicyResources(args.resources));
            const allowed = config.allowedInstanceTypes.join(", ");
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
                        reportViolation(`'${r.name}' (${r.type}) can scale to ${g.max} nodes; the limit per node group is ${config.maxNodesPerGroup}.`, r.urn);
                    }
                }
                if (g.spot === true && !config.spotAllowed) {
                    reportViolation(`'${r.name}' (${r.type}) uses spot capacity, which is not allowed in this environment.`, r.urn);
                }
            }
            if (total > config.maxTotalNodes) {
                const parts = groups.filter(g => g.max !== UNKNOWN).map(g => `${g.resource.name}=${String(g.max)}`).join(", ");
                reportViolation(`Node groups can scale to ${total} nodes in total (${parts}); the limit is ${config.maxTotalNodes}.`);
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
