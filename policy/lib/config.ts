// Policy configuration: strict schemas, the validator, and reading config inside a policy.
//
// The Pulumi CLI validates `--policy-pack-config` itself (Go, gojsonschema) against
// `{ type: "object", properties, required }` built from each policy's configSchema. Only `properties`
// and `required` travel over the analyzer protocol, so a top-level `additionalProperties: false` never
// reaches the CLI and a misspelt optional field would be silently ignored. We therefore keep the
// strict schema here and validate it twice: offline (`validatePolicyPackConfig`, used by the tests and
// any CI check) and at run time in every configurable policy (`readConfig`), which reports an invalid
// or missing config as a violation of that policy instead of running with wrong limits.
import { EnforcementLevel, Policy, PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** A policy's config schema plus the top-level strictness the CLI cannot express. */
export type StrictConfigSchema = PolicyConfigSchema & { additionalProperties: false };

const SUPPORTED_KEYWORDS = new Set([
    "type", "enum", "minimum", "exclusiveMinimum", "maximum", "items", "minItems", "uniqueItems",
    "pattern", "minLength", "properties", "required", "additionalProperties", "description", "default",
]);

/** Keywords `validateJsonSchema` does not implement; a schema must use none (see the config tests). */
export function unsupportedKeywords(schema: PolicyConfigJSONSchema | StrictConfigSchema, path = "$"): string[] {
    const found: string[] = [];
    for (const [k, v] of Object.entries(schema)) {
        if (!SUPPORTED_KEYWORDS.has(k)) {
            found.push(`${path}.${k}`);
        }
        if (k === "properties" && v && typeof v === "object") {
            for (const [pk, ps] of Object.entries(v as Record<string, PolicyConfigJSONSchema>)) {
                found.push(...unsupportedKeywords(ps, `${path}.${pk}`));
            }
        }
        if (k === "items" && v && typeof v === "object" && !Array.isArray(v)) {
            found.push(...unsupportedKeywords(v as PolicyConfigJSONSchema, `${path}[]`));
        }
    }
    return found;
}

function typeOf(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number") {
        return Number.isInteger(v) ? "integer" : "number";
    }
    return typeof v;
}

/** Validates `value` against the subset of JSON schema draft 7 listed in SUPPORTED_KEYWORDS. */
export function validateJsonSchema(
    schema: PolicyConfigJSONSchema | StrictConfigSchema, value: unknown, path = "",
): string[] {
    const s = schema as PolicyConfigJSONSchema;
    const where = path === "" ? "config" : path;
    const errors: string[] = [];
    if (s.type !== undefined) {
        const types = Array.isArray(s.type) ? s.type : [s.type];
        const actual = typeOf(value);
        const ok = types.some(t => t === actual || (t === "number" && actual === "integer"));
        if (!ok) {
            return [`${where} must be of type ${types.join(" or ")}, got ${JSON.stringify(value)}`];
        }
    }
    if (s.enum !== undefined && !s.enum.some(e => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${where} must be one of ${s.enum.map(e => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`);
    }
    if (typeof value === "number") {
        if (s.minimum !== undefined && value < s.minimum) {
            errors.push(`${where} must be >= ${s.minimum}, got ${value}`);
        }
        if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) {
            errors.push(`${where} must be > ${s.exclusiveMinimum}, got ${value}`);
        }
        if (s.maximum !== undefined && value > s.maximum) {
            errors.push(`${where} must be <= ${s.maximum}, got ${value}`);
        }
    }
    if (typeof value === "string") {
        if (s.minLength !== undefined && value.length < s.minLength) {
            errors.push(`${where} must have at least ${s.minLength} characters`);
        }
        if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) {
            errors.push(`${where} must match ${s.pattern}, got ${JSON.stringify(value)}`);
        }
    }
    if (Array.isArray(value)) {
        if (s.minItems !== undefined && value.length < s.minItems) {
            errors.push(`${where} must have at least ${s.minItems} item(s)`);
        }
        if (s.uniqueItems && new Set(value.map(v => JSON.stringify(v))).size !== value.length) {
            errors.push(`${where} must not contain duplicates`);
        }
        if (s.items !== undefined && typeof s.items === "object" && !Array.isArray(s.items)) {
            const items = s.items;
            value.forEach((v, i) => errors.push(...validateJsonSchema(items, v, `${where}[${i}]`)));
        }
    }
    if (typeOf(value) === "object") {
        const obj = value as Record<string, unknown>;
        for (const r of s.required ?? []) {
            if (!(r in obj)) {
                errors.push(`${where === "config" ? "" : where + "."}${r} is required`);
            }
        }
        const props = (s.properties ?? {}) as Record<string, PolicyConfigJSONSchema>;
        for (const [k, v] of Object.entries(obj)) {
            const sub = path === "" ? k : `${path}.${k}`;
            if (props[k]) {
                errors.push(...validateJsonSchema(props[k], v, sub));
            } else if (s.additionalProperties === false) {
                errors.push(`${sub} is not an allowed field (allowed: ${Object.keys(props).join(", ")})`);
            }
        }
    }
    return errors;
}

function withDefaults(schema: StrictConfigSchema, config: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties)) {
        if (v.default !== undefined) {
            result[k] = v.default;
        }
    }
    return { ...result, ...config };
}

/**
 * Reads and validates a policy's config. On failure reports one violation listing the problems and
 * returns undefined, so the caller skips its checks instead of enforcing made-up limits.
 */
export function readConfig<T>(
    policyName: string,
    schema: StrictConfigSchema,
    getConfig: () => object,
    reportViolation: ReportViolation,
): T | undefined {
    const config = withDefaults(schema, getConfig() as Record<string, unknown>);
    const errors = validateJsonSchema(schema, config);
    if (errors.length > 0) {
        reportViolation(
            `Invalid policy config for '${policyName}': ${errors.join("; ")}. ` +
            "Run with --policy-pack-config policy/config/<env>.json.",
        );
        return undefined;
    }
    return config as T;
}

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

type ConfigurablePolicy = Policy & { configSchema?: PolicyConfigSchema };

/**
 * Validates a `--policy-pack-config` document the way the CLI reads it (values are an enforcement level
 * string or an object whose `enforcementLevel` is stripped before schema validation; schema defaults are
 * filled in first), with two deliberate additions: top-level unknown fields and unknown policy names
 * are errors. Returns the list of problems; empty means valid.
 */
export function validatePolicyPackConfig(policies: readonly ConfigurablePolicy[], document: unknown): string[] {
    if (typeOf(document) !== "object") {
        return ["policy pack config must be a JSON object"];
    }
    const errors: string[] = [];
    const given = document as Record<string, unknown>;
    const names = new Set(policies.map(p => p.name));
    const properties: Record<string, Record<string, unknown>> = {};
    for (const [name, value] of Object.entries(given)) {
        if (name !== "all" && !names.has(name)) {
            // The CLI drops entries for policies a pack does not have: a misspelt name would silently leave
            // that policy on its defaults.
            const guess = closest(name, [...names]);
            errors.push(`"${name}" is not a policy of this pack${guess ? ` (did you mean "${guess}"?)` : ""}; known policies: ${[...names].join(", ")} (and "all")`);
            continue;
        }
        if (typeof value === "string") {
            if (!ENFORCEMENT_LEVELS.includes(value as EnforcementLevel)) {
                errors.push(`Value "${value}" for "${name}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
            }
            continue;
        }
        if (typeOf(value) !== "object") {
            errors.push(`Value for "${name}" must be a string or object`);
            continue;
        }
        const { enforcementLevel, ...rest } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel as EnforcementLevel)) {
            errors.push(`Value ${JSON.stringify(enforcementLevel)} for "${name}.enforcementLevel" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
        }
        if (name === "all" && Object.keys(rest).length > 0) {
            errors.push(`"all" only accepts an enforcementLevel`);
        }
        properties[name] = rest;
    }
    for (const p of policies) {
        if (!p.configSchema) {
            if (Object.keys(properties[p.name] ?? {}).length > 0) {
                errors.push(`Policy "${p.name}" takes no configuration`);
            }
            continue;
        }
        const schema = { additionalProperties: false as const, ...p.configSchema };
        const config = withDefaults(schema, properties[p.name] ?? {});
        errors.push(...validateJsonSchema(schema, config).map(e => `Policy "${p.name}": ${e}`));
    }
    return errors;
}

/** The candidate within two edits of `word`, if any: enough for a dropped, doubled or swapped letter. */
function closest(word: string, candidates: readonly string[]): string | undefined {
    const distance = (a: string, b: string): number => {
        let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
        for (let i = 1; i <= a.length; i++) {
            const current = [i];
            for (let j = 1; j <= b.length; j++) {
                current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length];
    };
    const ranked = candidates.map(c => ({ c, d: distance(word, c) })).filter(x => x.d <= 2).sort((x, y) => x.d - y.d);
    return ranked[0]?.c;
}
