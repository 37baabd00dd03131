/**
 * Policy pack configuration the way the Pulumi CLI handles `--policy-pack-config`: parse the file,
 * start from each policy's schema defaults and enforcement level, apply `all` and per-policy
 * entries, then validate each policy's properties against `{type: object, properties, required}`.
 */
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { validatePolicyPackConfig } from "../../policy/lib/config";
import { createPolicies } from "../../policy/policies";
import { EnforcementLevel, PackInfo, PolicyConfigEntry } from "../policy/analyzer";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export class PolicyConfigError extends Error {
    constructor(readonly file: string, readonly problems: readonly string[]) {
        super(`policy config ${file} is not valid for the pack:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

interface GivenEntry {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * Checks the policy config a stack will be judged by before its program runs, so a mistake costs
 * seconds, not a whole run: the pack's strict rules (known policy names, enforcement levels, each
 * policy's fields, where the CLI would drop or pass through a mistake), and that it is written for the
 * stack's environment, which would otherwise fail every tagged resource one by one.
 * `file` defaults to `<packDir>/config/<environment>.json`; a missing default is left to the check.
 */
export function validatePolicyConfigBeforeRun(stackConfig: Readonly<Record<string, string>>, file: string | undefined, packDir: string): void {
    const environment = stackConfig["iot-platform:environment"];
    const target = file ?? (environment === undefined ? undefined : path.join(packDir, "config", `${environment}.json`));
    if (target === undefined || (file === undefined && !fs.existsSync(target))) {
        return;
    }
    let document: unknown;
    try {
        document = JSON.parse(fs.readFileSync(target, "utf8"));
    } catch (err) {
        throw new PolicyConfigError(target, [`cannot read it as JSON: ${(err as Error).message}`]);
    }
    const problems = validatePolicyPackConfig(createPolicies(), document);
    const configured = (document as Record<string, { environment?: unknown } | undefined>)?.["environment-tag"]?.environment;
    if (environment !== undefined && typeof configured === "string" && configured !== environment) {
        problems.push(`environment-tag.environment: this config is for environment "${configured}", the stack is "${environment}" (iot-platform:environment); use ${path.join(path.basename(packDir), "config", `${environment}.json`)}`);
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(target, problems);
    }
}

/** Reads the file: each policy maps to an enforcement level string or an object of properties. */
export function readPolicyConfigFile(file: string): Record<string, GivenEntry> {
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new PolicyConfigError(file, [`cannot read it as JSON: ${(err as Error).message}`]);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new PolicyConfigError(file, ["the top level must be an object of policy names"]);
    }
    const problems: string[] = [];
    const result: Record<string, GivenEntry> = {};
    for (const [policy, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value === "string") {
            if (!LEVELS.includes(value as EnforcementLevel)) {
                problems.push(`${policy}: "${value}" is not an enforcement level (${LEVELS.join(", ")})`);
                continue;
            }
            result[policy] = { enforcementLevel: value as EnforcementLevel, properties: {} };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
                problems.push(`${policy}.enforcementLevel: "${enforcementLevel}" is not an enforcement level (${LEVELS.join(", ")})`);
                continue;
            }
            result[policy] = { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        } else {
            problems.push(`${policy}: must be an enforcement level or an object`);
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(file, problems);
    }
    return result;
}

/** The configuration sent to the pack's `configure`, or a PolicyConfigError naming every problem. */
export function reconcilePolicyConfig(file: string, pack: PackInfo, given: Record<string, GivenEntry>): Record<string, PolicyConfigEntry> {
    const result: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const policy of pack.policies) {
        const defaults: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) {
                defaults[key] = (schema as { default: unknown }).default;
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties: defaults };
    }
    const all = given.all?.enforcementLevel;
    if (all) {
        Object.values(result).forEach((entry) => { entry.enforcementLevel = all; });
    }
    for (const [policy, entry] of Object.entries(given)) {
        const target = result[policy];
        if (!target) {
            // The CLI ignores entries for policies the pack does not have; so do we.
            continue;
        }
        if (entry.enforcementLevel) {
            target.enforcementLevel = entry.enforcementLevel;
        }
        Object.assign(target.properties, entry.properties);
    }

    const ajv = new Ajv({ allErrors: true, strict: false });
    const problems: string[] = [];
    for (const policy of pack.policies) {
        if (!policy.configSchema) {
            continue;
        }
        const schema: Record<string, unknown> = { type: "object" };
        if (Object.keys(policy.configSchema.properties).length > 0) {
            schema.properties = policy.configSchema.properties;
        }
        if (policy.configSchema.required.length > 0) {
            schema.required = policy.configSchema.required;
        }
        const validate = ajv.compile(schema);
        if (!validate(result[policy.name].properties)) {
            for (const error of validate.errors ?? []) {
                problems.push(`Policy "${policy.name}": ${error.instancePath || "(root)"} ${error.message}`);
            }
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(file, problems);
    }
    return result;
}
