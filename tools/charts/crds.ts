/**
 * Custom resources validated against the CustomResourceDefinitions a chart ships, as the API server
 * would with field validation "Strict": the schema's types, enums and required fields, and no field
 * the schema does not declare (unless it marks the object x-kubernetes-preserve-unknown-fields).
 */
import Ajv, { ValidateFunction } from "ajv";

interface CrdVersion {
    name: string;
    served: boolean;
    schema?: { openAPIV3Schema?: Record<string, unknown> };
}

export interface CustomResourceDefinition {
    readonly kind: "CustomResourceDefinition";
    readonly spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

type Schema = Record<string, any>;

/**
 * A structural schema turned into JSON Schema that rejects unknown fields: every object with declared
 * properties gets `additionalProperties: false`, and the Kubernetes extensions Ajv does not know are
 * dropped (int-or-string is already an anyOf of integer and string in these CRDs).
 */
export function strictSchema(schema: Schema): Schema {
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
        if (key.startsWith("x-kubernetes-")) {
            continue;
        }
        if (key === "properties") {
            out.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, s]) => [name, strictSchema(s as Schema)]));
        } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
            out[key] = strictSchema(value as Schema);
        } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
            out[key] = (value as Schema[]).map(strictSchema);
        } else {
            out[key] = value;
        }
    }
    if (schema.properties && schema.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
        out.additionalProperties = false;
    }
    if (schema["x-kubernetes-int-or-string"] && !schema.anyOf) {
        out.type = ["integer", "string"];
    }
    return out;
}

/**
 * CRD patterns are Go (RE2) expressions; the only RE2 syntax in these CRDs that JavaScript lacks is
 * the case-insensitive flag `(?i)`, which they use at the start (`^(?i)(abort|warn)?$`), where it
 * means the same as JavaScript's `i` flag on the whole expression.
 */
function goRegExp(pattern: string, flags: string): RegExp {
    return pattern.includes("(?i)") ? new RegExp(pattern.replace("(?i)", ""), `${flags}i`) : new RegExp(pattern, flags);
}
goRegExp.code = "goRegExp";

/** Problems of one object against its CRD schema; empty when valid. */
export type CustomResourceValidator = (object: unknown) => string[];

/** One validator per `group/version Kind` served by the given CRDs. */
export function crdValidators(crds: readonly CustomResourceDefinition[]): Map<string, CustomResourceValidator> {
    // Formats (int32, date-time, ...) are not checked: the API server does not enforce most of them either.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
    const validators = new Map<string, CustomResourceValidator>();
    for (const crd of crds) {
        for (const version of crd.spec.versions.filter((v) => v.served && v.schema?.openAPIV3Schema)) {
            let compiled: ValidateFunction | undefined;
            validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, (object) => {
                // Compiled on first use: the Prometheus schema alone is megabytes.
                compiled ??= ajv.compile(strictSchema(version.schema!.openAPIV3Schema!));
                if (compiled(object)) {
                    return [];
                }
                return (compiled.errors ?? []).map((e) => e.keyword === "additionalProperties"
                    ? `${e.instancePath || "/"}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
                    : `${e.instancePath || "/"}: ${e.message ?? e.keyword}`);
            });
        }
    }
    return validators;
}

/** The validator for an object's apiVersion and kind, if one of the CRDs defines it. */
export function validatorForObject(validators: Map<string, CustomResourceValidator>, object: { apiVersion: string; kind: string }) {
    return validators.get(`${object.apiVersion} ${object.kind}`);
}
