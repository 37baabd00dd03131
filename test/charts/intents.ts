/**
 * What the program means its chart values to do, checked in the rendered output rather than in the
 * values: each function returns its problems (empty when the intent holds), so the self-check can
 * show that a planted mistake makes it fail.
 */
import * as yaml from "js-yaml";
import { PROBER } from "../../components/apps/workloadManifests";
import { ROLLOUT_FACTOR } from "../../components/monitoring/namespace";
import { BLACKBOX_PORT, BLACKBOX_RELEASE, BLACKBOX_REPLICAS } from "../../components/monitoring/probes";
import { RenderedObject } from "../../tools/charts/render";
import { StackRun } from "./targets";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

/** Kubernetes label-selector semantics; a null/absent selector matches nothing, `{}` everything. */
export function selects(selector: Selector | null | undefined, labels: Record<string, string> = {}): boolean {
    if (!selector) {
        return false;
    }
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpression = (selector.matchExpressions ?? []).every((e) => {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        switch (e.operator) {
            case "In": return has && (e.values ?? []).includes(labels[e.key]);
            case "NotIn": return !has || !(e.values ?? []).includes(labels[e.key]);
            case "Exists": return has;
            case "DoesNotExist": return !has;
            default: return false;
        }
    });
    return byLabel && byExpression;
}

export const of = (objects: readonly RenderedObject[], kind: string) => objects.filter((o) => o.kind === kind);

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"];

/** Pod templates of every workload, by `Kind name`. */
function podSpecs(objects: readonly RenderedObject[]): Array<{ id: string; object: RenderedObject; spec: any }> {
    return objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)).map((o) => ({
        id: `${o.kind} ${o.metadata.name}`,
        object: o,
        spec: o.kind === "Pod" ? o.spec : o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec,
    }));
}

/** Helm test hooks run only under `helm test`, never in a `pulumi up`: not held to the resource rule. */
export function isTestHook(o: RenderedObject): boolean {
    return (o.metadata.annotations?.["helm.sh/hook"] ?? "").split(",").includes("test");
}

/** Every container of every workload, and the pods the operator creates from Prometheus and Alertmanager, requests CPU and memory. */
export function resourceRequests(objects: readonly RenderedObject[]): string[] {
    const problems: string[] = [];
    for (const { id, object, spec } of podSpecs(objects)) {
        if (isTestHook(object)) {
            continue;
        }
        for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
            const requests = c.resources?.requests ?? {};
            if (!requests.cpu || !requests.memory) {
                problems.push(`${id} container ${c.name}: no cpu and memory requests`);
            }
        }
    }
    for (const o of [...of(objects, "Prometheus"), ...of(objects, "Alertmanager")]) {
        const requests = o.spec.resources?.requests ?? {};
        if (!requests.cpu || !requests.memory) {
            problems.push(`${o.kind} ${o.metadata.name}: no cpu and memory requests`);
        }
    }
    // The operator gives every Prometheus and Alertmanager pod a config-reloader sidecar sized by these flags.
    for (const operator of of(objects, "Deployment").filter((d) => d.metadata.name.endsWith("-operator"))) {
        const args: string[] = operator.spec.template.spec.containers.flatMap((c: any) => c.args ?? []);
        for (const flag of ["--config-reloader-cpu-request", "--config-reloader-memory-request"]) {
            const value = args.find((a) => a.startsWith(`${flag}=`))?.split("=")[1];
            if (!value || value === "0") {
                problems.push(`Deployment ${operator.metadata.name}: ${flag} is not set, so the config-reloader sidecars request nothing`);
            }
        }
    }
    return problems;
}

function expect(problems: string[], ok: boolean, message: string): void {
    if (!ok) {
        problems.push(message);
    }
}

/** Control-plane components EKS runs out of reach; their monitors and rules would only ever fire. */
const UNREACHABLE_JOBS = ["kube-controller-manager", "kube-scheduler", "kube-etcd", "kube-proxy"];

const UNITS: Readonly<Record<string, number>> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A Kubernetes quantity ("250m", "1.5", "512Mi", "2G") as a number of cores or bytes. */
export function quantity(value: string | number): number {
    const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
    if (!match || UNITS[match[2]] === undefined) {
        throw new Error(`unsupported quantity "${value}"`);
    }
    return Number(match[1]) * UNITS[match[2]];
}

interface PodShape {
    readonly id: string;
    /** A Helm hook (install/upgrade Job), not a pod that keeps running. */
    readonly hook?: boolean;
    readonly count: number;
    readonly containers: ReadonlyArray<{ name: string; resources?: any }>;
    readonly initContainers: ReadonlyArray<{ name: string; resources?: any }>;
}

/**
 * The pods the release runs in its namespace: workloads by replicas (DaemonSets on every node), and
 * the Prometheus and Alertmanager pods the operator builds, each with the config-reloader sidecar
 * and init container sized by the operator's flags. Helm test hooks never run in a deploy.
 */
function podsOf(objects: readonly RenderedObject[], maxNodes: number): PodShape[] {
    const operatorArgs: string[] = of(objects, "Deployment").filter((d) => d.metadata.name.endsWith("-operator"))
        .flatMap((d) => d.spec.template.spec.containers.flatMap((c: any) => c.args ?? []));
    const flag = (name: string) => operatorArgs.find((a) => a.startsWith(`--config-reloader-${name}=`))?.split("=")[1];
    const reloader = {
        requests: { cpu: flag("cpu-request"), memory: flag("memory-request") },
        limits: Object.fromEntries([["cpu", flag("cpu-limit")], ["memory", flag("memory-limit")]].filter(([, v]) => v && v !== "0")),
    };
    const pods: PodShape[] = podSpecs(objects).filter(({ object }) => !isTestHook(object)).map(({ id, object, spec }) => ({
        id,
        hook: object.metadata.annotations?.["helm.sh/hook"] !== undefined,
        count: object.kind === "DaemonSet" ? maxNodes : object.kind === "Deployment" || object.kind === "StatefulSet" ? object.spec.replicas ?? 1 : 1,
        containers: spec.containers ?? [],
        initContainers: spec.initContainers ?? [],
    }));
    for (const o of [...of(objects, "Prometheus"), ...of(objects, "Alertmanager")]) {
        pods.push({
            id: `${o.kind} ${o.metadata.name}`,
            count: o.spec.replicas ?? 1,
            hook: false,
            containers: [{ name: o.kind.toLowerCase(), resources: o.spec.resources }, { name: "config-reloader", resources: reloader }],
            initContainers: [{ name: "init-config-reloader", resources: reloader }],
        });
    }
    return pods;
}

/**
 * The monitoring namespace admits everything the chart runs: each container's memory limit (or the
 * LimitRange default) at least its request and at most the LimitRange max, and the pods' requests,
 * memory limits and count fitting the ResourceQuota with room for a rollout of everything at once.
 */
export function namespaceAdmits(objects: readonly RenderedObject[], run: StackRun, namespace: string, rolloutFactor: number): string[] {
    const problems: string[] = [];
    const find = (kind: string) => run.resources.find((r) => r.type === `kubernetes:core/v1:${kind}` && r.inputs.metadata?.namespace === namespace)?.inputs.spec;
    const quota = find("ResourceQuota")?.hard;
    const limits = find("LimitRange")?.limits?.find((l: any) => l.type === "Container");
    if (!quota || !limits) {
        return [`namespace ${namespace}: no ResourceQuota or LimitRange in the program`];
    }
    const charge = (pod: PodShape) => {
        const effective = (c: { name: string; resources?: any }) => {
            const cpu = quantity(c.resources?.requests?.cpu ?? limits.defaultRequest.cpu);
            const memory = quantity(c.resources?.requests?.memory ?? limits.defaultRequest.memory);
            const memoryLimit = quantity(c.resources?.limits?.memory ?? limits.default.memory);
            if (memoryLimit < memory) {
                problems.push(`${pod.id} container ${c.name}: memory limit ${memoryLimit / 2 ** 20}Mi (after LimitRange defaults) is below its request ${memory / 2 ** 20}Mi`);
            }
            if (memoryLimit > quantity(limits.max.memory)) {
                problems.push(`${pod.id} container ${c.name}: memory limit ${memoryLimit / 2 ** 20}Mi is above the LimitRange max ${limits.max.memory}`);
            }
            return [cpu, memory, memoryLimit, 1];
        };
        const sum = pod.containers.map(effective).reduce((a, b) => a.map((v, i) => v + b[i]), [0, 0, 0, 0]);
        // A pod is charged the larger of its containers' sum and its largest init container.
        const charged = pod.initContainers.map(effective).reduce((a, b) => a.map((v, i) => Math.max(v, b[i])), sum);
        return charged.map((v, i) => (i === 3 ? 1 : v) * pod.count);
    };
    const pods = podsOf(objects, run.config.cluster.nodes.max);
    const add = (a: number[], b: number[]) => a.map((v, i) => v + b[i]);
    const running = pods.filter((p) => !p.hook).map(charge).reduce(add, [0, 0, 0, 0]);
    // Helm runs hooks one at a time and deletes each on success: only the largest is ever charged.
    const hook = pods.filter((p) => p.hook).map(charge).reduce((a, b) => a.map((v, i) => Math.max(v, b[i])), [0, 0, 0, 0]);
    const [cpu, memory, memoryLimit, count] = add(running, hook);
    const totals = { "requests.cpu": cpu, "requests.memory": memory, "limits.memory": memoryLimit, pods: count };
    for (const [resource, used] of Object.entries(totals)) {
        const hard = quantity(quota[resource]);
        if (used * rolloutFactor > hard * (1 + 1e-9)) {
            problems.push(`ResourceQuota ${namespace} ${resource}: ${quota[resource]} holds ${(hard / used).toFixed(2)}x what the chart runs, less than the ${rolloutFactor}x a rollout of everything needs`);
        }
    }
    return problems;
}

/** kube-prometheus-stack: Alertmanager, Prometheus, Grafana, the dropped control-plane targets, the selectors. */
export function kubePrometheusStackIntents(objects: readonly RenderedObject[], run: StackRun): string[] {
    const problems: string[] = [];
    const { prometheus, alertmanager } = run.config.monitoring;

    const [am] = of(objects, "Alertmanager");
    expect(problems, am?.spec.replicas === alertmanager.replicas, `Alertmanager replicas: want ${alertmanager.replicas}, rendered ${am?.spec.replicas}`);
    const amPods = am ? { app: "alertmanager", ...(am.spec.podMetadata?.labels ?? {}), "app.kubernetes.io/name": "alertmanager", alertmanager: am.metadata.name } : {};
    const amBudgets = of(objects, "PodDisruptionBudget").filter((p) => selects(p.spec.selector, amPods));
    if (alertmanager.replicas > 1) {
        expect(problems, amBudgets.length === 1 && amBudgets[0].spec.minAvailable === 1, `Alertmanager: want one PodDisruptionBudget with minAvailable 1, found ${amBudgets.length}`);
    } else {
        expect(problems, amBudgets.length === 0, "Alertmanager: a PodDisruptionBudget on a single replica would block every node drain");
    }

    const [prom] = of(objects, "Prometheus");
    expect(problems, prom?.spec.retention === prometheus.retention, `Prometheus retention: want ${prometheus.retention}, rendered ${prom?.spec.retention}`);
    const claim = prom?.spec.storage?.volumeClaimTemplate?.spec;
    expect(problems, claim?.resources?.requests?.storage === `${prometheus.storageGb}Gi` && claim?.storageClassName === "gp3",
        `Prometheus storage: want ${prometheus.storageGb}Gi of gp3, rendered ${JSON.stringify(claim)}`);
    expect(problems, typeof prom?.spec.retentionSize === "string", "Prometheus: no retentionSize, a full volume would stop ingestion");

    // Grafana: credentials only from the existing Secret, and no password anywhere in the output.
    const grafana = of(objects, "Deployment").find((d) => d.metadata.name.endsWith("-grafana"));
    const env = new Map<string, any>((grafana?.spec.template.spec.containers ?? []).flatMap((c: any) => (c.env ?? []).map((e: any) => [`${c.name}/${e.name}`, e])));
    for (const [variable, key] of [["GF_SECURITY_ADMIN_USER", "admin-user"], ["GF_SECURITY_ADMIN_PASSWORD", "admin-password"]]) {
        const ref = env.get(`grafana/${variable}`)?.valueFrom?.secretKeyRef;
        expect(problems, ref?.name === "grafana-admin" && ref?.key === key, `Grafana ${variable}: want secret grafana-admin key ${key}, rendered ${JSON.stringify(env.get(`grafana/${variable}`))}`);
    }
    for (const secret of of(objects, "Secret")) {
        const keys = Object.keys({ ...secret.data, ...secret.stringData });
        expect(problems, !keys.includes("admin-password"), `Secret ${secret.metadata.name} carries a Grafana admin-password the chart made up`);
    }
    const text = JSON.stringify(objects.filter((o) => o.kind !== "CustomResourceDefinition"));
    // prom-operator is the password kube-prometheus-stack shipped as Grafana's default for years.
    expect(problems, !/prom-operator"|admin_password|adminPassword/.test(text), "a Grafana admin password is set in the rendered output");

    for (const job of UNREACHABLE_JOBS) {
        const monitors = of(objects, "ServiceMonitor").filter((m) => m.metadata.name.includes(job.replace(/^kube-/, "")) || JSON.stringify(m.spec).includes(`"${job}"`));
        expect(problems, monitors.length === 0, `${job}: scraped by ${monitors.map((m) => m.metadata.name).join(", ")}`);
        const rules = of(objects, "PrometheusRule").filter((r) => JSON.stringify(r.spec).includes(`job=\\"${job}\\"`) || JSON.stringify(r.spec).includes(`job="${job}"`));
        expect(problems, rules.length === 0, `${job}: rules in ${rules.map((r) => r.metadata.name).join(", ")}`);
    }

    // Prometheus must pick up the apps' ServiceMonitors and this program's PrometheusRule wherever they live, and the chart's own.
    const program = (type: string) => run.resources.filter((r) => r.type === `kubernetes:monitoring.coreos.com/v1:${type}`) as unknown as ReadonlyArray<{ inputs: RenderedObject }>;
    const checks: Array<[string, string, readonly { metadata: { name: string; labels?: Record<string, string> } }[]]> = [
        ["serviceMonitor", "ServiceMonitor", [...program("ServiceMonitor").map((r) => r.inputs), ...of(objects, "ServiceMonitor")]],
        ["rule", "PrometheusRule", [...program("PrometheusRule").map((r) => r.inputs), ...of(objects, "PrometheusRule")]],
        ["probe", "Probe", program("Probe").map((r) => r.inputs)],
    ];
    for (const [field, kind, selected] of checks) {
        expect(problems, JSON.stringify(prom?.spec[`${field}NamespaceSelector`]) === "{}", `Prometheus ${field}NamespaceSelector: want {} (every namespace), rendered ${JSON.stringify(prom?.spec[`${field}NamespaceSelector`])}`);
        expect(problems, selected.length > 0, `no ${kind} to select`);
        for (const s of selected) {
            expect(problems, selects(prom?.spec[`${field}Selector`], s.metadata.labels), `${kind} ${s.metadata.name} (labels ${JSON.stringify(s.metadata.labels ?? {})}) is not selected by ${JSON.stringify(prom?.spec[`${field}Selector`])}`);
        }
    }
    expect(problems, program("ServiceMonitor").length > 0 && program("PrometheusRule").length === 1, "the program's own ServiceMonitors and PrometheusRule are missing from the run");
    problems.push(...namespaceAdmits(objects, run, "monitoring", ROLLOUT_FACTOR));
    return problems;
}

/** cluster-autoscaler: discovers this cluster's groups, balances them, stops at the node group's max, runs under its IRSA role. */
export function clusterAutoscalerIntents(objects: readonly RenderedObject[], run: StackRun, values: Record<string, any>): string[] {
    const problems: string[] = [];
    const [deployment] = of(objects, "Deployment");
    const container = deployment?.spec.template.spec.containers[0];
    const command: string[] = [...(container?.command ?? []), ...(container?.args ?? [])];
    const clusterName = `${run.config.project}-${run.config.environment}`;
    for (const flag of [
        `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${clusterName}`,
        "--balance-similar-node-groups=true",
        `--max-nodes-total=${run.config.cluster.nodes.max}`,
    ]) {
        expect(problems, command.includes(flag), `cluster-autoscaler: ${flag} missing from ${JSON.stringify(command)}`);
    }
    // Set explicitly: the nodes' IMDS hop limit of 1 keeps the pod from discovering its region.
    const region = (container?.env ?? []).find((e: any) => e.name === "AWS_REGION")?.value;
    expect(problems, region === run.config.region, `cluster-autoscaler AWS_REGION: want ${run.config.region}, rendered ${region}`);
    const wantTag = `:v${run.config.cluster.kubernetesVersion}.`;
    expect(problems, typeof container?.image === "string" && container.image.includes(wantTag), `cluster-autoscaler image ${container?.image} does not match Kubernetes ${run.config.cluster.kubernetesVersion}`);
    const accountName = deployment?.spec.template.spec.serviceAccountName;
    const account = of(objects, "ServiceAccount").find((a) => a.metadata.name === accountName);
    const roleArn = values.rbac?.serviceAccount?.annotations?.["eks.amazonaws.com/role-arn"];
    expect(problems, typeof roleArn === "string" && account?.metadata.annotations?.["eks.amazonaws.com/role-arn"] === roleArn,
        `cluster-autoscaler ServiceAccount ${accountName}: want IRSA annotation ${roleArn}, rendered ${JSON.stringify(account?.metadata.annotations)}`);
    return problems;
}

/** metrics-server: replicas spread over nodes with a disruption budget, so HPAs keep their metrics through a drain. */
export function metricsServerIntents(objects: readonly RenderedObject[]): string[] {
    const problems: string[] = [];
    const [deployment] = of(objects, "Deployment");
    expect(problems, deployment?.spec.replicas === 2, `metrics-server replicas: want 2, rendered ${deployment?.spec.replicas}`);
    const pod = deployment?.spec.template;
    const spread = (pod?.spec.topologySpreadConstraints ?? []).filter((t: any) => t.topologyKey === "kubernetes.io/hostname" && selects(t.labelSelector, pod.metadata.labels));
    expect(problems, spread.length === 1, `metrics-server: want a spread over kubernetes.io/hostname selecting its own pods, rendered ${JSON.stringify(pod?.spec.topologySpreadConstraints)}`);
    const budgets = of(objects, "PodDisruptionBudget").filter((p) => selects(p.spec.selector, pod?.metadata.labels));
    expect(problems, budgets.length === 1 && budgets[0].spec.maxUnavailable === 1, `metrics-server: want one PodDisruptionBudget with maxUnavailable 1, found ${budgets.length}`);
    return problems;
}

/**
 * The blackbox exporter: the pods the program's network policies and Probes point at (labels,
 * Service name and port), every module the Probes use in its config, two replicas with a
 * disruption budget, restricted pod security, and a namespace quota that admits a rolling update.
 */
export function blackboxExporterIntents(objects: readonly RenderedObject[], run: StackRun): string[] {
    const problems: string[] = [];
    const [deployment] = of(objects, "Deployment");
    const pod = deployment?.spec.template;
    expect(problems, deployment?.spec.replicas === BLACKBOX_REPLICAS, `blackbox-exporter replicas: want ${BLACKBOX_REPLICAS}, rendered ${deployment?.spec.replicas}`);
    expect(problems, selects({ matchLabels: { ...PROBER.podLabels } }, pod?.metadata.labels),
        `blackbox-exporter pods (labels ${JSON.stringify(pod?.metadata.labels)}) are not the pods the apps' ingress rules and the probes namespace policies select (${JSON.stringify(PROBER.podLabels)})`);
    const budgets = of(objects, "PodDisruptionBudget").filter((p) => selects(p.spec.selector, pod?.metadata.labels));
    expect(problems, budgets.length === 1 && budgets[0].spec.minAvailable === 1, `blackbox-exporter: want one PodDisruptionBudget with minAvailable 1, found ${budgets.length}`);
    const service = of(objects, "Service").find((s) => s.metadata.name === BLACKBOX_RELEASE);
    expect(problems, service?.spec.ports?.some((p: any) => p.port === BLACKBOX_PORT) && selects({ matchLabels: service.spec.selector }, pod?.metadata.labels),
        `blackbox-exporter: the Probes' prober ${BLACKBOX_RELEASE}:${BLACKBOX_PORT} is not a Service of the exporter's pods`);
    const config = yaml.load(of(objects, "ConfigMap").find((c) => c.metadata.name === BLACKBOX_RELEASE)?.data?.["blackbox.yaml"] ?? "{}") as { modules?: Record<string, unknown> };
    const used = [...new Set(run.resources.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:Probe").map((r) => r.inputs.spec.module as string))];
    expect(problems, used.length > 0, "the program creates no Probe");
    for (const module of used) {
        expect(problems, config.modules?.[module] !== undefined, `blackbox-exporter config has no module ${module}, which a Probe uses`);
    }
    const spec = pod?.spec ?? {};
    expect(problems, spec.securityContext?.seccompProfile?.type === "RuntimeDefault", "blackbox-exporter pod: no RuntimeDefault seccomp profile (restricted pod security)");
    for (const c of spec.containers ?? []) {
        const sc = c.securityContext ?? {};
        expect(problems, sc.runAsNonRoot === true && sc.allowPrivilegeEscalation === false && (sc.capabilities?.drop ?? []).includes("ALL") && sc.readOnlyRootFilesystem === true,
            `blackbox-exporter container ${c.name}: not restricted (${JSON.stringify(sc)})`);
    }
    problems.push(...namespaceAdmits(objects, run, PROBER.namespace, (BLACKBOX_REPLICAS + 1) / BLACKBOX_REPLICAS));
    return problems;
}

/** Intent checks by release name; a release without an entry is held to the generic checks only. */
export const INTENTS: Readonly<Record<string, (objects: readonly RenderedObject[], run: StackRun, values: Record<string, any>) => string[]>> = {
    "kube-prometheus-stack": kubePrometheusStackIntents,
    "cluster-autoscaler": clusterAutoscalerIntents,
    "metrics-server": metricsServerIntents,
    [BLACKBOX_RELEASE]: blackboxExporterIntents,
};
