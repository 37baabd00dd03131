/** Groups resources under their top-level component: the report's inventory. */
import { AnalyzedResource } from "../policy/analyzer";
import { InventoryGroup } from "./report";

type Resource = Pick<AnalyzedResource, "type" | "name" | "urn" | "parent" | "properties">;

function topComponent(resource: Resource, byUrn: Map<string, Resource>): Resource | undefined {
    let current: Resource | undefined = resource;
    let top: Resource | undefined;
    while (current) {
        if (current.type.startsWith("iot:")) {
            top = current;
        }
        current = current.parent ? byUrn.get(current.parent) : undefined;
    }
    return top;
}

export function inventory(resources: readonly Resource[]): InventoryGroup[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Record<string, number>>();
    for (const r of resources) {
        if (r.type.startsWith("iot:") && !r.parent) {
            groups.set(`${r.type} ${r.name}`, groups.get(`${r.type} ${r.name}`) ?? {});
            continue;
        }
        const top = topComponent(r, byUrn);
        const key = top ? `${top.type} ${top.name}` : "(top level)";
        const counts = groups.get(key) ?? {};
        counts[r.type] = (counts[r.type] ?? 0) + 1;
        groups.set(key, counts);
    }
    return [...groups.entries()].map(([component, counts]) => ({
        component,
        counts,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
    }));
}
