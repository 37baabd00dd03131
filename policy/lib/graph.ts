// The minimal view of a stack that the stack policies and offline tools share.
import { PolicyResource } from "@pulumi/policy";
import { at, isUnknown, Props, rawProps, UNKNOWN, Unknown } from "./values";

/**
 * One resource as a stack policy sees it. Built from StackValidationArgs by `fromPolicyResources`, or by
 * any other tool (a mocks harness, a state export) that can provide type, name, URN, props and parent.
 */
export interface StackResource {
    type: string;
    name: string;
    urn: string;
    /** Outputs (stack policies) or inputs (mocks); unknown values as the engine's sentinels. */
    props: Props;
    /** URN of the parent resource, if any. */
    parent?: string;
    /** `region` of the explicit provider the resource uses, if any. */
    providerRegion?: string;
    /** Property name -> URNs of the resources that property was computed from. */
    propertyDependencies?: Record<string, string[]>;
    /** URNs the resource depends on (dependsOn, property dependencies; a remote component as itself). */
    dependencies?: string[];
}

export function fromPolicyResources(resources: readonly PolicyResource[]): StackResource[] {
    return resources.map(r => {
        const providerRegion = r.provider ? at(rawProps(r.provider.props), "region") : undefined;
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
            propertyDependencies[k] = deps.map(d => d.urn);
        }
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: rawProps(r.props),
            parent: r.parent?.urn ?? r.opts?.parent,
            providerRegion: typeof providerRegion === "string" ? providerRegion : undefined,
            propertyDependencies,
            dependencies: (r.dependencies ?? []).map(d => d.urn),
        };
    });
}

export class StackGraph {
    readonly byUrn: ReadonlyMap<string, StackResource>;

    constructor(readonly resources: readonly StackResource[]) {
        this.byUrn = new Map(resources.map(r => [r.urn, r]));
    }

    /** True when a resource of one of `types` has `r` among its ancestors. */
    hasDescendantOfType(r: StackResource, types: readonly string[]): boolean {
        return this.resources.some(d => types.includes(d.type) && this.ancestors(d).some(a => a.urn === r.urn));
    }

    ofType(...types: string[]): StackResource[] {
        return this.resources.filter(r => types.includes(r.type));
    }

    /** Parent first, root last. Stops at a parent that is not part of the stack view. */
    ancestors(r: StackResource): StackResource[] {
        const result: StackResource[] = [];
        const seen = new Set<string>([r.urn]);
        let cur = r.parent ? this.byUrn.get(r.parent) : undefined;
        while (cur && !seen.has(cur.urn)) {
            result.push(cur);
            seen.add(cur.urn);
            cur = cur.parent ? this.byUrn.get(cur.parent) : undefined;
        }
        return result;
    }

    /**
     * Finds the stack resource of one of `types` that `ref` (an id, ARN or name held in `from.props[prop]`)
     * points at. Matching is by the known `id`/`arn`/`name`/`bucket` outputs; when the reference is unknown
     * (preview of a resource created in the same stack) the property's recorded dependency is used instead.
     * Returns UNKNOWN when the reference cannot be resolved because it is not known yet, undefined when it
     * points outside the stack.
     */
    resolve(ref: unknown, types: readonly string[], from?: StackResource, prop?: string): StackResource | Unknown | undefined {
        if (typeof ref === "string" && !isUnknown(ref)) {
            const match = this.resources.find(
                r => types.includes(r.type) && ["id", "arn", "name", "bucket"].some(k => r.props[k] === ref),
            );
            if (match) {
                return match;
            }
        }
        const deps = from && prop ? from.propertyDependencies?.[prop] : undefined;
        const candidates = (deps ?? []).map(u => this.byUrn.get(u)).filter(r => r && types.includes(r.type));
        if (candidates.length === 1) {
            return candidates[0];
        }
        return isUnknown(ref) ? UNKNOWN : undefined;
    }
}
