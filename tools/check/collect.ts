/** Turns a mock run's recorded resources into what an analyzer receives from the engine. */
import * as pulumi from "@pulumi/pulumi";
import { AnalyzedResource } from "../policy/analyzer";
import { RecordedResource, valueOf } from "../mockProgram";

export interface AnalyzerViews {
    /** What `Analyze` gets for each resource: its inputs. */
    readonly inputs: AnalyzedResource[];
    /** What `AnalyzeStack` gets: each resource's state, inputs plus outputs such as ids and ARNs. */
    readonly states: AnalyzedResource[];
}

/**
 * The engine hands analyzers properties without its internal `__` keys, secrets as secret values,
 * and references to other resources as their id (custom resources) or URN (components).
 */
export async function toAnalyzerViews(resources: readonly RecordedResource[]): Promise<AnalyzerViews> {
    const view = (pick: (r: RecordedResource) => Record<string, unknown>) => Promise.all(resources.map(async (r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        properties: (await plain(withoutInternalKeys(pick(r)))) as Record<string, unknown>,
    })));
    const [inputs, states] = await Promise.all([view((r) => r.inputs), view((r) => ({ ...r.inputs, ...r.outputs }))]);
    return { inputs, states };
}

function withoutInternalKeys(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
}

async function plain(value: unknown): Promise<unknown> {
    if (pulumi.CustomResource.isInstance(value)) {
        return valueOf(value.id);
    }
    if (pulumi.Resource.isInstance(value)) {
        return valueOf(value.urn);
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map(plain));
    }
    if (value !== null && typeof value === "object") {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await plain(v)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}
