/** `helm template` of a vendored chart with given values, parsed into objects. */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { CHARTS_DIR } from "./archive";
import { helm } from "./helm";

export interface RenderedObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    readonly [field: string]: any;
}

export interface RenderRequest {
    /** File name under charts/. */
    readonly archive: string;
    readonly releaseName: string;
    readonly namespace: string;
    /** Kubernetes minor of the target cluster, e.g. "1.34": charts gate API versions and features on it. */
    readonly kubeVersion: string;
    readonly values: Record<string, unknown>;
}

/**
 * Renders like the Kubernetes provider installs: CRDs included (the provider installs a chart's
 * crds/ directory), the Prometheus Operator API announced so the charts emit their monitors.
 */
export function renderChart(request: RenderRequest): RenderedObject[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-values-"));
    try {
        const valuesFile = path.join(dir, "values.json");
        // JSON is YAML: the values reach Helm exactly as the program builds them.
        fs.writeFileSync(valuesFile, JSON.stringify(request.values));
        const output = helm([
            "template", request.releaseName, path.join(CHARTS_DIR, request.archive),
            "--namespace", request.namespace,
            "--kube-version", request.kubeVersion,
            "--api-versions", "monitoring.coreos.com/v1",
            "--include-crds",
            "--values", valuesFile,
        ]);
        return yaml.loadAll(output).filter((doc): doc is RenderedObject => doc !== null && typeof doc === "object");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** `Kind namespace/name`, how problems and diffs name an object. */
export function objectId(o: RenderedObject): string {
    return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}
