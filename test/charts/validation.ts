/**
 * Validity of what a chart renders: built-in kinds against the strict Kubernetes schemas the project
 * already uses (test/apps/k8sSchema.ts), custom resources against the CRDs the vendored charts ship.
 */
import * as crypto from "crypto";
import * as yaml from "js-yaml";
import * as path from "path";
import { CHARTS_DIR, readLock, readTgz } from "../../tools/charts/archive";
import { crdValidators, CustomResourceDefinition, CustomResourceValidator } from "../../tools/charts/crds";
import { objectId, RenderedObject } from "../../tools/charts/render";
import { strictValidate } from "../apps/k8sSchema";

/**
 * kubernetes-models 4.5.1 generates its schemas with every `description` key stripped, which also
 * strips the *field* named description from CustomResourceColumnDefinition: a CRD's column
 * descriptions would read as unknown fields. Only that field, only there.
 */
const MODEL_GAPS = [/^\/spec\/versions\/\d+\/additionalPrinterColumns\/\d+: unknown field "description"$/];

/**
 * A CRD for the strict Kubernetes schema, its versions' openAPIV3Schema left out: the models treat
 * JSONSchemaProps loosely (no recursion into properties/items), so the proxy would report every
 * nested keyword. Each schema is instead compiled by Ajv when its custom resources are validated.
 */
function withoutSchemas(crd: RenderedObject): RenderedObject {
    return { ...crd, spec: { ...crd.spec, versions: crd.spec.versions.map((v: any) => (v.schema ? { ...v, schema: { openAPIV3Schema: { type: "object" } } } : v)) } };
}

/** Every CRD packaged in a vendored archive (a chart's crds/ directories), parsed. */
export function vendoredCrds(): CustomResourceDefinition[] {
    return readLock().flatMap((chart) => [...readTgz(path.join(CHARTS_DIR, chart.archive))]
        .filter(([file]) => /(^|\/)crds\/[^/]+\.ya?ml$/.test(file))
        .flatMap(([, content]) => yaml.loadAll(content.toString("utf8")) as CustomResourceDefinition[])
        .filter((doc) => doc?.kind === "CustomResourceDefinition"));
}

let shared: Map<string, CustomResourceValidator> | undefined;
/** Validators of rendered CRDs by their content: every render of a chart ships the same ones. */
const renderedCache = new Map<string, Map<string, CustomResourceValidator>>();

function renderedCrdValidators(crds: readonly CustomResourceDefinition[]): Map<string, CustomResourceValidator> {
    const key = crypto.createHash("sha256").update(JSON.stringify(crds)).digest("hex");
    if (!renderedCache.has(key)) {
        renderedCache.set(key, crdValidators(crds));
    }
    return renderedCache.get(key)!;
}

/** Validators of the vendored CRDs, compiled once per process (the Prometheus schema is megabytes). */
export function vendoredCrdValidators(): Map<string, CustomResourceValidator> {
    shared ??= crdValidators(vendoredCrds());
    return shared;
}

/**
 * Problems of rendered objects, each prefixed with the object it is in. Custom resources go against
 * the CRDs rendered with the chart, or else the vendored ones; a kind neither defines is a problem.
 */
export function validateRendered(objects: readonly RenderedObject[]): string[] {
    const rendered = objects.filter((o) => o.kind === "CustomResourceDefinition") as unknown as CustomResourceDefinition[];
    const own = renderedCrdValidators(rendered);
    const vendored = vendoredCrdValidators();
    const problems: string[] = [];
    for (const o of objects) {
        const key = `${o.apiVersion} ${o.kind}`;
        const custom = own.get(key) ?? vendored.get(key);
        const found = custom ? custom(o) : strictValidate((o.kind === "CustomResourceDefinition" ? withoutSchemas(o) : o) as unknown as Record<string, unknown>);
        problems.push(...found.filter((p) => o.kind !== "CustomResourceDefinition" || !MODEL_GAPS.some((gap) => gap.test(p))).map((p) => `${objectId(o)}: ${p}`));
    }
    return problems;
}
