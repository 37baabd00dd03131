/**
 * Strict validation of rendered Kubernetes objects against the OpenAPI schemas that
 * kubernetes-models ships (precompiled AJV validators, one module per definition).
 *
 * Those schemas do not set `additionalProperties: false`, so on their own they accept a container
 * with `imagee:`. Like `kubeval --strict`, this rejects unknown fields: the object is validated
 * through a Proxy that records which properties the validator reads. A compiled validator reads
 * every property its schema defines and enumerates the keys only of maps (`additionalProperties`
 * schemas such as labels or resource lists); any own key of a non-map object that it never read is
 * a field the schema does not know.
 */
import * as path from "path";

type CompiledValidator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }> | null };

/** CRD groups with a kubernetes-models package; core groups come from kubernetes-models itself. */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

/** API groups served outside k8s.io/api, whose definitions are named after their Go packages. */
const OUT_OF_TREE_PREFIXES: Readonly<Record<string, string>> = {
    "apiextensions.k8s.io": "IoK8sApiextensionsApiserverPkgApisApiextensions",
    "apiregistration.k8s.io": "IoK8sKubeAggregatorPkgApisApiregistration",
};

const validators = new Map<string, CompiledValidator>();

function capitalize(word: string): string {
    return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The compiled validator for an apiVersion and kind, or undefined when no schema is known. */
function validatorFor(apiVersion: string, kind: string): CompiledValidator | undefined {
    const key = `${apiVersion}/${kind}`;
    if (validators.has(key)) {
        return validators.get(key);
    }
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const crdPackage = CRD_PACKAGES[group];
    const pkg = crdPackage ?? "kubernetes-models";
    // Definition ids: io.k8s.api.<first label of group or "core">.<version>.<Kind>, CRDs: <group labels>.<version>.<Kind>.
    const prefix = crdPackage ? group.split(".").map(capitalize).join("")
        : OUT_OF_TREE_PREFIXES[group] ?? `IoK8sApi${capitalize(group === "" ? "core" : group.split(".")[0])}`;
    const file = path.join(path.dirname(require.resolve(pkg)), "_schemas", `${prefix}${capitalize(version)}${kind}.js`);
    let validator: CompiledValidator | undefined;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        validator = require(file).validate as CompiledValidator;
    } catch {
        validator = undefined;
    }
    validators.set(key, validator!);
    return validator;
}

interface Visit {
    readonly path: string;
    readonly value: object;
    readonly read: Set<string>;
    enumerated: boolean;
}

/** Wraps `root` so every object in it records the properties read and whether its keys were listed. */
function track(root: object): { proxy: object; visits: Map<object, Visit> } {
    const visits = new Map<object, Visit>();
    const proxies = new WeakMap<object, object>();
    const wrap = (value: unknown, at: string): unknown => {
        if (value === null || typeof value !== "object") {
            return value;
        }
        const existing = proxies.get(value);
        if (existing) {
            return existing;
        }
        const visit: Visit = { path: at, value, read: new Set(), enumerated: false };
        visits.set(value, visit);
        const proxy = new Proxy(value, {
            get(target, property) {
                const child = (target as Record<PropertyKey, unknown>)[property];
                if (typeof property === "string" && Object.prototype.hasOwnProperty.call(target, property)) {
                    visit.read.add(property);
                    return wrap(child, `${at}/${property}`);
                }
                return child;
            },
            ownKeys(target) {
                visit.enumerated = true;
                return Reflect.ownKeys(target);
            },
        });
        proxies.set(value, proxy);
        return proxy;
    };
    return { proxy: wrap(root, "") as object, visits };
}

/** Problems of one object: schema violations first; unknown fields once the schema passes. Empty when valid. */
export function strictValidate(manifest: Record<string, unknown>): string[] {
    const { apiVersion, kind } = manifest as { apiVersion?: string; kind?: string };
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
        return [`missing apiVersion or kind`];
    }
    const validate = validatorFor(apiVersion, kind);
    if (!validate) {
        return [`no schema for ${apiVersion} ${kind}`];
    }
    const { proxy, visits } = track(manifest);
    if (!validate(proxy)) {
        return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.keyword} ${e.message ?? JSON.stringify(e.params)}`);
    }
    const problems: string[] = [];
    for (const visit of visits.values()) {
        if (visit.enumerated || Array.isArray(visit.value)) {
            continue;
        }
        for (const key of Object.keys(visit.value)) {
            if (!visit.read.has(key)) {
                problems.push(`${visit.path || "/"}: unknown field "${key}"`);
            }
        }
    }
    return problems;
}

/** Pulumi's wire marker of a secret value (`specialSigKey` in @pulumi/pulumi/runtime/rpc). */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** Recorded resource inputs as the API server would get them: secret wrappers replaced by their values. */
export function asManifest(inputs: unknown): any {
    if (Array.isArray(inputs)) {
        return inputs.map(asManifest);
    }
    if (inputs === null || typeof inputs !== "object") {
        return inputs;
    }
    const record = inputs as Record<string, unknown>;
    if (record[SECRET_SIG.key] === SECRET_SIG.value) {
        return asManifest(record.value);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, asManifest(v)]));
}
