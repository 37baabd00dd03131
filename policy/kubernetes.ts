// Kubernetes workloads this program declares directly. Helm releases are opaque (their rendered
// workloads are not ours to fix), except for the kube-prometheus-stack values checked below.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isDeepStrictEqual } from "util";
import { CheckedResource, resourceCheck } from "./lib/policy";
import { at, isUnknown, listAt, toNumber } from "./lib/values";
import { podSecurityProblems } from "./podSecurity";

export const WORKLOAD_TYPES = [
    "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob", "kubernetes:core/v1:Pod",
];

export interface Container { kind: "container" | "init container"; name: string; spec: unknown }

export function podSpec(type: string, props: Record<string, unknown>): unknown {
    return at(podTemplate(type, props), "spec");
}

/** The pod (a Pod) or pod template (the workload kinds): its metadata and spec. */
function podTemplate(type: string, props: Record<string, unknown>): unknown {
    switch (type) {
        case "kubernetes:core/v1:Pod": return props;
        case "kubernetes:batch/v1:CronJob": return at(props, "spec", "jobTemplate", "spec", "template");
        default: return at(props, "spec", "template");
    }
}

export function containers(pod: unknown): Container[] {
    const list = (key: string, kind: Container["kind"]): Container[] => {
        const items = listAt(pod, key);
        return Array.isArray(items) ? items.map((c, i) => {
            const name = at(c, "name");
            return { kind, name: typeof name === "string" ? name : `#${i}`, spec: c };
        }) : [];
    };
    return [...list("initContainers", "init container"), ...list("containers", "container")];
}

export function resourceProblems(pod: unknown): string[] {
    const problems: string[] = [];
    for (const c of containers(pod)) {
        const missing = [["requests", "cpu"], ["requests", "memory"], ["limits", "memory"]]
            .filter(([kind, res]) => at(c.spec, "resources", kind, res) === undefined)
            .map(([kind, res]) => `${kind}.${res}`);
        if (missing.length > 0) {
            problems.push(`${c.kind} '${c.name}' has no ${missing.join(", ")}`);
        }
    }
    return problems;
}

export function probeProblems(pod: unknown): string[] {
    const problems: string[] = [];
    for (const c of containers(pod).filter(c => c.kind === "container")) {
        const liveness = at(c.spec, "livenessProbe");
        const readiness = at(c.spec, "readinessProbe");
        if (liveness === undefined || readiness === undefined) {
            const missing = [liveness === undefined ? "livenessProbe" : "", readiness === undefined ? "readinessProbe" : ""].filter(Boolean);
            problems.push(`container '${c.name}' has no ${missing.join(" or ")}`);
        } else if (!isUnknown(liveness) && !isUnknown(readiness) && isDeepStrictEqual(liveness, readiness)) {
            problems.push(`container '${c.name}' uses identical liveness and readiness probes; a failing dependency would restart the pod instead of taking it out of service`);
        }
    }
    return problems;
}

/** Why an image reference is not pinned, or undefined when it has a non-latest tag or a digest. */
export function imagePinProblem(image: unknown): string | undefined {
    if (isUnknown(image) || typeof image !== "string") {
        return undefined;
    }
    if (/@sha256:[0-9a-f]{64}$/u.test(image)) {
        return undefined;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    if (colon < 0) {
        return `image ${image} has no tag or digest`;
    }
    return lastSegment.slice(colon + 1) === "latest" ? `image ${image} uses the tag latest` : undefined;
}

/**
 * True for an object @pulumi/eks creates through its own Kubernetes provider (a real preview shows
 * them under the eks:index:* component, e.g. a self-managed VPC CNI DaemonSet): like a Helm chart's
 * workloads they are not this program's to fix. The URN's type chain names the ancestors.
 */
export function createdByEks(urn: string): boolean {
    const chain = urn.split("::")[2] ?? "";
    return chain.split("$").slice(0, -1).some(t => t.startsWith("eks:index:"));
}

function workloadCheck(
    name: string, description: string, problems: (pod: unknown, r: CheckedResource) => string[],
    enforcementLevel: "mandatory" | "advisory" = "mandatory", types: readonly string[] = WORKLOAD_TYPES,
): ResourceValidationPolicy {
    return resourceCheck({
        name, description, enforcementLevel, types,
        check: (r, report) => {
            if (createdByEks(r.urn)) {
                return;
            }
            const pod = podSpec(r.type, r.props);
            if (isUnknown(pod)) {
                return;
            }
            for (const p of problems(pod, r)) {
                report(`${r.type.split(":").pop()} '${r.name}': ${p}.`);
            }
        },
    });
}

export function podSecurityRestrictedPolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-pod-security-restricted",
        "Workloads meet the Pod Security Standards, baseline and restricted, in every container, init and ephemeral container (docs/policy-pss.md).",
        (pod, r) => podSecurityProblems(pod, at(podTemplate(r.type, r.props), "metadata")));
}

export function workloadResourcesPolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-workload-resources",
        "Every container and init container requests CPU and memory and sets a memory limit.", resourceProblems);
}

/** Pods that run to completion: no Service routes to them, so readiness means nothing, and a hung run is ended by the Job's activeDeadlineSeconds. */
export const BATCH_TYPES = ["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"];

export function workloadProbesPolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-workload-probes",
        "Every container of a long-running workload has liveness and readiness probes, and they are not identical (Jobs and CronJobs run to completion and are not checked).",
        probeProblems, "mandatory", WORKLOAD_TYPES.filter(t => !BATCH_TYPES.includes(t)));
}

export function imagePinnedPolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-image-pinned",
        "Container images are pinned to a tag other than latest, or to a digest.",
        pod => containers(pod).flatMap(c => {
            const problem = imagePinProblem(at(c.spec, "image"));
            return problem ? [`${c.kind} '${c.name}' ${problem}`] : [];
        }));
}

export function workloadNamespacePolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-workload-namespace",
        "Workloads set an explicit namespace other than default.",
        (_pod, r) => {
            const ns = at(r.props, "metadata", "namespace");
            return ns === undefined || ns === "" || ns === "default"
                ? [`namespace is ${ns === undefined || ns === "" ? "not set" : "\"default\""}; deploy into a dedicated namespace`]
                : [];
        });
}

export function readOnlyRootFilesystemPolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-read-only-root-filesystem",
        "Containers run with readOnlyRootFilesystem: true.",
        pod => containers(pod).flatMap(c => {
            const ro = at(c.spec, "securityContext", "readOnlyRootFilesystem");
            return isUnknown(ro) || ro === true ? [] : [`${c.kind} '${c.name}' does not set readOnlyRootFilesystem: true`];
        }), "advisory");
}

export function topologySpreadPolicy(): ResourceValidationPolicy {
    return workloadCheck("k8s-topology-spread",
        "Deployments and StatefulSets with more than one replica declare topologySpreadConstraints.",
        (pod, r) => {
            const replicas = toNumber(at(r.props, "spec", "replicas")) ?? 1;
            const spread = at(pod, "topologySpreadConstraints");
            const empty = spread === undefined || (Array.isArray(spread) && spread.length === 0);
            return typeof replicas === "number" && replicas > 1 && empty
                ? [`${replicas} replicas without topologySpreadConstraints; a single zone or node failure can take all of them`]
                : [];
        }, "advisory", ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"]);
}

export const DEFAULT_GRAFANA_PASSWORD = "prom-operator";

export function grafanaPasswordProblem(values: unknown): string | undefined {
    const grafana = at(values, "grafana");
    if (isUnknown(grafana) || isUnknown(at(grafana, "admin", "existingSecret")) || at(grafana, "enabled") === false) {
        return undefined;
    }
    const existingSecret = at(values, "grafana", "admin", "existingSecret");
    if (typeof existingSecret === "string" && existingSecret !== "") {
        return undefined;
    }
    const password = at(values, "grafana", "adminPassword");
    if (isUnknown(password)) {
        return undefined;
    }
    if (password === undefined || password === "" || password === DEFAULT_GRAFANA_PASSWORD) {
        return `grafana.adminPassword is ${password === undefined || password === "" ? "not set (the chart then makes one up in a Secret of its own; older releases defaulted to \"prom-operator\")" : "the old chart default \"prom-operator\""}; set grafana.admin.existingSecret`;
    }
    return undefined;
}

export function grafanaPasswordPolicy(): ResourceValidationPolicy {
    return resourceCheck({
        name: "grafana-no-default-password",
        description: "A kube-prometheus-stack Helm release does not run Grafana with the chart's default admin password.",
        enforcementLevel: "mandatory",
        types: ["kubernetes:helm.sh/v3:Release"],
        check: (r, report) => {
            const chart = at(r.props, "chart");
            // A repository chart name (`kube-prometheus-stack`, `<repo>/kube-prometheus-stack`) or a
            // vendored archive or directory (`./charts/kube-prometheus-stack-88.5.3.tgz`).
            if (typeof chart !== "string" || !/(^|\/)kube-prometheus-stack(-\d+\.\d+\.\d+[\w.+-]*\.tgz)?\/?$/u.test(chart)) {
                return;
            }
            const problem = grafanaPasswordProblem(at(r.props, "values"));
            if (problem) {
                report(`Helm release '${r.name}': ${problem}.`);
            }
        },
    });
}
