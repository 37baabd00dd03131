// Shared shape of this pack's resource policies.
import { EnforcementLevel, ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { Props, rawProps } from "./values";

export interface CheckedResource { type: string; name: string; urn: string; props: Props }

export interface ResourceCheckArgs {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    types: readonly string[];
    check: (r: CheckedResource, reportViolation: (message: string) => void) => void;
}

/** A resource policy over `types` that reads raw props (unknowns as sentinels, see lib/values.ts). */
export function resourceCheck(a: ResourceCheckArgs): ResourceValidationPolicy {
    return {
        name: a.name,
        description: a.description,
        enforcementLevel: a.enforcementLevel,
        validateResource: (args, reportViolation: ReportViolation) => {
            if (!a.types.includes(args.type)) {
                return;
            }
            a.check({ type: args.type, name: args.name, urn: args.urn, props: rawProps(args.props) }, m => reportViolation(m));
        },
    };
}
