// Shared shapes of this pack's policies.
import { EnforcementLevel, ReportViolation, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { readConfig, StrictConfigSchema } from "./config";
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

export interface ConfiguredStackCheckArgs<T> {
    name: string;
    description: string;
    configSchema: StrictConfigSchema;
    /** Runs only with a valid config; an invalid one is reported as this policy's violation. */
    check: (config: T, args: StackValidationArgs, reportViolation: ReportViolation) => void;
}

/** A mandatory stack policy whose limits come from its (strictly validated) policy config. */
export function configuredStackCheck<T>(a: ConfiguredStackCheckArgs<T>): StackValidationPolicy {
    return {
        name: a.name,
        description: a.description,
        enforcementLevel: "mandatory",
        configSchema: a.configSchema,
        validateStack: (args, reportViolation) => {
            const config = readConfig<T>(a.name, a.configSchema, () => args.getConfig(), reportViolation);
            if (config) {
                a.check(config, args, reportViolation);
            }
        },
    };
}
