import { strict as assert } from "assert";
import { Exposure, resolveApp, ResolvedApp } from "../../components/apps/app";
import { AWS_API_EGRESS, SERVICE_MONITOR_LABELS } from "../../components/apps/workloadManifests";
import { IRSA_AUDIENCE } from "../../components/cluster/irsa";
import { RecordedResource, valueOf } from "../../tools/mockProgram";
import { childrenOf, one, ofType, parseConfig, runStack, stackConfig } from "../util";

const K = {
    namespace: "kubernetes:core/v1:Namespace",
    quota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
};

/** Every Kubernetes object in `namespace`, by kind. */
function inNamespace(resources: readonly RecordedResource[], type: string, namespace: string): any[] {
    return ofType(resources, type).map((r) => r.inputs).filter((o) => o.metadata?.namespace === namespace);
}

function policyNamed(resources: readonly RecordedResource[], namespace: string, name: string): any {
    const found = inNamespace(resources, K.networkPolicy, namespace).filter((p) => p.metadata.name === name);
    assert.equal(found.length, 1, `network policy ${namespace}/${name}`);
    return found[0];
}

/**
 * The product rule, stated here rather than read from config: devices reach the gateway over private
 * connectivity, the dashboard is the one internet-facing entry point, the rest stay in the cluster
 * (so a new catalog entry is checked as `cluster` without being listed here).
 */
const EXPECTED_EXPOSURE: Readonly<Record<string, Exposure>> = {
    "device-gateway": "internal",
    "web-app": "public",
};
const expectedExposure = (name: string): Exposure => EXPECTED_EXPOSURE[name] ?? "cluster";
const LB_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";
const LB_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
/**
 * Also a product rule: the dashboard (internet) and the gateway (device telemetry) are reached over TLS
 * only, terminated at their NLB on 443. The certificate is config (a placeholder until replaced); the
 * listener settings are not.
 */
const EXPECTED_TLS: ReadonlySet<string> = new Set(["device-gateway", "web-app"]);
function tlsAnnotations(certificateArn: string): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": certificateArn,
        "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "443",
        "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    };
}

/** Whether a label selector (matchLabels and Exists/DoesNotExist expressions) selects `labels`. */
function selects(selector: any, labels: Record<string, string>): boolean {
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpression = (selector.matchExpressions ?? []).every((e: any) => {
        switch (e.operator) {
            case "Exists": return e.key in labels;
            case "DoesNotExist": return !(e.key in labels);
            default: throw new Error(`operator ${e.operator} not modelled`);
        }
    });
    return byLabel && byExpression;
}

/** Registers a case only where it applies. */
function itWhen(applies: boolean, title: string, fn: () => void): void {
    if (applies) {
        it(title, fn);
    }
}

for (const stack of ["prod", "staging"]) {
    // Which apps have data access is config; read it here so IRSA cases exist exactly for them.
    const catalog = parseConfig(stackConfig(stack)).apps;
    const withDataAccess = new Set(catalog.filter((a) => (a.dataAccess ?? []).length > 0).map((a) => a.name));

    describe(`namespaced apps (${stack})`, () => {
        let resources: RecordedResource[];
        let apps: ResolvedApp[];
        let arns: { stream: string; bucket: string; key: string };
        let vpcCidr: string;
        let region: string;

        before(async () => {
            const run = await runStack(stack);
            resources = run.resources;
            vpcCidr = run.config.network.cidr;
            region = run.config.region;
            apps = run.config.apps.map((a) => resolveApp(a, vpcCidr));
            arns = {
                stream: await valueOf(run.platform.data.streamArn),
                bucket: await valueOf(run.platform.data.bucketArn),
                key: await valueOf(run.platform.data.keyArn),
            };
        });

        it("creates one NamespacedApp per catalog entry, in one AppCatalog", () => {
            const catalog = one(resources, "iot:apps:AppCatalog");
            assert.deepEqual(childrenOf(resources, catalog).map((r) => `${r.type} ${r.name}`).sort(),
                apps.map((a) => `iot:apps:NamespacedApp iot-platform-${stack}-apps-${a.name}`).sort());
        });

        it("has exactly one internet-facing load balancer, the web app's", () => {
            const services = ofType(resources, K.service).map((r) => r.inputs);
            const internetFacing = services.filter((svc) => svc.spec.type === "LoadBalancer" && svc.metadata.annotations?.[LB_INTERNAL] !== "true");
            assert.deepEqual(internetFacing.map((svc) => `${svc.metadata.namespace}/${svc.metadata.name}`), ["web/web-app-lb"]);
            assert.equal(services.filter((svc) => svc.spec.type === "NodePort").length, 0);
        });

        for (const { name } of catalog) {
            describe(name, () => {
                let app: ResolvedApp;
                let ns: string;
                let deployment: any;
                let pod: any;
                before(() => {
                    app = apps.find((a) => a.name === name)!;
                    ns = app.namespace;
                    deployment = one(resources, K.deployment, `-apps-${name}-deployment`).inputs;
                    pod = deployment.spec.template.spec;
                });

                it("has its namespace with Pod Security Admission restricted (enforce, audit, warn)", () => {
                    const [namespace] = ofType(resources, K.namespace).map((r) => r.inputs).filter((n) => n.metadata.name === ns);
                    for (const mode of ["enforce", "audit", "warn"]) {
                        assert.equal(namespace.metadata.labels[`pod-security.kubernetes.io/${mode}`], "restricted");
                    }
                });

                it("has a quota for max replicas plus one surge pod, and container defaults", () => {
                    const [quota] = inNamespace(resources, K.quota, ns);
                    const pods = app.replicas.max + 1;
                    assert.deepEqual(quota.spec.hard, {
                        "requests.cpu": `${pods * app.resources.cpuMillis}m`,
                        "requests.memory": `${pods * app.resources.memoryMiB}Mi`,
                        "limits.memory": `${pods * app.resources.memoryLimitMiB}Mi`,
                        pods: String(pods),
                        "services.loadbalancers": app.exposure === "cluster" ? "0" : "1",
                        "services.nodeports": app.exposure === "cluster" ? "0" : "1",
                    });
                    const [limits] = inNamespace(resources, K.limitRange, ns);
                    assert.deepEqual(limits.spec.limits[0].default, { memory: `${app.resources.memoryLimitMiB}Mi` });
                });

                it("denies all traffic by default and allows DNS to CoreDNS", () => {
                    const deny = policyNamed(resources, ns, "default-deny");
                    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
                    const dns = policyNamed(resources, ns, "allow-dns");
                    assert.deepEqual(dns.spec.egress[0].ports, [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
                    assert.deepEqual(dns.spec.egress[0].to[0].podSelector.matchLabels, { "k8s-app": "kube-dns" });
                });

                it("accepts traffic only from monitoring, the blackbox exporter, its declared callers and (behind a load balancer) the declared networks, on its port", () => {
                    const ingress = policyNamed(resources, ns, `${name}-ingress`).spec.ingress;
                    const sources = ingress.map((rule: any) => {
                        assert.deepEqual(rule.ports, [{ protocol: "TCP", port: app.port }]);
                        return rule.from.map((from: any) => from.ipBlock
                            ? `cidr:${from.ipBlock.cidr}`
                            : `${from.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}/${from.podSelector?.matchLabels["app.kubernetes.io/name"] ?? "*"}`).join(" ");
                    });
                    const callers = app.allowFrom.map((c) => `${apps.find((a) => a.name === c)!.namespace}/${c}`);
                    // The shipped gateway declares no device networks, so its NLB and policy admit the VPC only.
                    const loadBalancer = expectedExposure(name) === "cluster" ? [] : [`cidr:${vpcCidr}`];
                    assert.deepEqual(sources, ["monitoring/*", "probes/prometheus-blackbox-exporter", ...callers, ...loadBalancer]);
                    assert.ok(ingress.every((rule: any) => rule.from.every((from: any) => from.ipBlock?.cidr !== "0.0.0.0/0")));
                });

                it("reaches AWS APIs over HTTPS only if it has data access, and the apps it calls", () => {
                    const egress = inNamespace(resources, K.networkPolicy, ns).filter((p) => p.metadata.name === `${name}-egress`);
                    const callees = apps.filter((a) => a.allowFrom.includes(name));
                    if (app.dataAccess.length === 0 && callees.length === 0) {
                        assert.equal(egress.length, 0);
                        return;
                    }
                    const rules = egress[0].spec.egress;
                    const aws = rules.filter((r: any) => r.to[0].ipBlock);
                    assert.deepEqual(aws, app.dataAccess.length === 0 ? [] : [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...AWS_API_EGRESS.except] } }], ports: [{ protocol: "TCP", port: 443 }] }]);
                    const peers = rules.filter((r: any) => !r.to[0].ipBlock).map((r: any) => `${r.to[0].podSelector.matchLabels["app.kubernetes.io/name"]}:${r.ports[0].port}`);
                    assert.deepEqual(peers, callees.map((c) => `${c.name}:${c.port}`));
                });

                it("runs as a service account that never mounts the API token, with an IRSA role only if it has data access", () => {
                    const [sa] = inNamespace(resources, K.serviceAccount, ns);
                    assert.equal(sa.metadata.name, name);
                    assert.equal(sa.automountServiceAccountToken, false);
                    assert.equal(pod.automountServiceAccountToken, false);
                    assert.equal(pod.serviceAccountName, name);
                    const roles = ofType(resources, "aws:iam/role:Role").filter((r) => r.name === `iot-platform-${stack}-apps-${name}-irsa`);
                    assert.equal(roles.length, app.dataAccess.length > 0 ? 1 : 0);
                    assert.equal(sa.metadata.annotations?.["eks.amazonaws.com/role-arn"] !== undefined, app.dataAccess.length > 0);
                });

                itWhen(withDataAccess.has(name), "trusts exactly its own service account, with StringEquals on sub and aud", () => {
                    const role = one(resources, "aws:iam/role:Role", `-apps-${name}-irsa`);
                    const statement = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
                    assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
                    const conditions = Object.entries(statement.Condition.StringEquals);
                    assert.deepEqual(Object.keys(statement.Condition), ["StringEquals"]);
                    assert.deepEqual(conditions.map(([k, v]) => `${k.split(":").pop()}=${v}`).sort(), [`aud=${IRSA_AUDIENCE}`, `sub=system:serviceaccount:${ns}:${name}`]);
                });

                itWhen(withDataAccess.has(name), "grants only the declared data access, on the platform's stream, bucket and key ARNs", () => {
                    const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.startsWith(`iot-platform-${stack}-apps-${name}-irsa-`));
                    assert.deepEqual(policies.map((p) => p.name.split("-irsa-")[1]).sort(), [...app.dataAccess].sort());
                    const statements = policies.flatMap((p) => JSON.parse(p.inputs.policy).Statement);
                    const allowed = new Set([arns.stream, arns.bucket, `${arns.bucket}/*`, arns.key]);
                    for (const s of statements) {
                        assert.equal(s.Effect, "Allow");
                        for (const resource of [s.Resource].flat()) {
                            assert.ok(allowed.has(resource), `${name} may act on ${resource}`);
                        }
                    }
                    const actions = new Set(statements.flatMap((s: any) => s.Action));
                    const expected: Record<string, string> = { produceStream: "kinesis:PutRecords", readStream: "kinesis:GetRecords", readLake: "s3:GetObject" };
                    for (const [kind, action] of Object.entries(expected)) {
                        assert.equal(actions.has(action), app.dataAccess.includes(kind as never), `${name} ${action}`);
                    }
                    assert.ok(![...actions].some((a: any) => a.endsWith(":*") || /Delete|Put(Object|BucketPolicy)/.test(a)), [...actions].join(", "));
                });

                it("has a Deployment with no replicas (the HPA owns them) and a pinned image", () => {
                    assert.equal(deployment.metadata.namespace, ns);
                    assert.equal("replicas" in deployment.spec, false);
                    const image: string = pod.containers[0].image;
                    assert.ok(image.startsWith(app.image.repository), image);
                    assert.match(image, /(:[A-Za-z0-9_][A-Za-z0-9._-]*|@sha256:[a-f0-9]{64})$/);
                    assert.doesNotMatch(image, /:latest$/);
                });

                it("runs every container with the restricted security context and a read-only root filesystem", () => {
                    assert.equal(pod.securityContext.runAsNonRoot, true);
                    assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
                    for (const key of ["hostNetwork", "hostPID", "hostIPC"]) {
                        assert.equal(pod[key], undefined);
                    }
                    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
                        assert.deepEqual(container.securityContext, {
                            runAsNonRoot: true,
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            capabilities: { drop: ["ALL"] },
                            seccompProfile: { type: "RuntimeDefault" },
                        });
                        assert.ok(container.ports.every((p: any) => p.hostPort === undefined));
                    }
                    assert.ok((pod.volumes ?? []).every((v: any) => v.hostPath === undefined));
                });

                it("mounts scratch space only where the entry asks for it", () => {
                    const scratch = (pod.volumes ?? []).filter((v: any) => v.emptyDir);
                    assert.deepEqual(scratch, app.scratchMiB > 0 ? [{ name: "scratch", emptyDir: { sizeLimit: `${app.scratchMiB}Mi` } }] : []);
                });

                it("requests CPU and memory and limits memory, from the entry", () => {
                    const { requests, limits } = pod.containers[0].resources;
                    assert.equal(requests.cpu, `${app.resources.cpuMillis}m`);
                    assert.equal(requests.memory, `${app.resources.memoryMiB}Mi`);
                    assert.deepEqual(limits, { memory: `${app.resources.memoryLimitMiB}Mi` });
                });

                it("has distinct liveness and readiness probes", () => {
                    const { livenessProbe, readinessProbe } = pod.containers[0];
                    assert.ok(livenessProbe && readinessProbe);
                    assert.notDeepEqual(livenessProbe, readinessProbe);
                    assert.notEqual(livenessProbe.httpGet.path, readinessProbe.httpGet.path);
                });

                it("spreads pods across hosts and zones", () => {
                    const keys = pod.topologySpreadConstraints.map((c: any) => `${c.topologyKey}:${c.whenUnsatisfiable}`);
                    assert.deepEqual(keys, ["kubernetes.io/hostname:DoNotSchedule", "topology.kubernetes.io/zone:ScheduleAnyway"]);
                    for (const c of pod.topologySpreadConstraints) {
                        assert.deepEqual(c.labelSelector.matchLabels, deployment.spec.selector.matchLabels);
                    }
                });

                it("shuts down gracefully: preStop delay, then the longest request, before SIGKILL", () => {
                    const preStop = pod.containers[0].lifecycle.preStop.sleep.seconds;
                    assert.ok(preStop > 0);
                    assert.ok(pod.terminationGracePeriodSeconds > preStop + app.requestTimeoutSeconds, `${pod.terminationGracePeriodSeconds}s`);
                });

                it("is reached in the cluster through a ClusterIP Service on the container port, as the EKS policy agent requires", () => {
                    const service = inNamespace(resources, K.service, ns).find((svc) => svc.metadata.name === name);
                    assert.equal(service.spec.type, "ClusterIP");
                    assert.equal(service.metadata.annotations, undefined);
                    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
                    assert.deepEqual(service.spec.ports, [{ name: "http", port: app.port, targetPort: "http", protocol: "TCP" }]);
                    assert.deepEqual(pod.containers[0].ports, [{ name: "http", containerPort: app.port, protocol: "TCP" }]);
                });

                it(`is exposed as ${expectedExposure(name)}${EXPECTED_TLS.has(name) ? " over TLS on 443" : ""}`, () => {
                    const loadBalancers = inNamespace(resources, K.service, ns).filter((svc) => svc.spec.type === "LoadBalancer");
                    assert.equal(app.exposure, expectedExposure(name));
                    assert.equal(app.tls !== undefined, EXPECTED_TLS.has(name));
                    if (app.exposure === "cluster") {
                        assert.deepEqual(loadBalancers, []);
                        return;
                    }
                    const [lb] = loadBalancers;
                    assert.equal(loadBalancers.length, 1);
                    assert.equal(lb.metadata.name, `${name}-lb`);
                    const tls = app.tls === undefined ? {} : tlsAnnotations(app.tls.certificateArn);
                    const expected = {
                        internal: { annotations: { [LB_TYPE]: "nlb", [LB_INTERNAL]: "true", ...tls }, loadBalancerSourceRanges: [vpcCidr] },
                        public: { annotations: { [LB_TYPE]: "nlb", ...tls }, loadBalancerSourceRanges: undefined },
                    }[app.exposure];
                    assert.deepEqual({ annotations: lb.metadata.annotations, loadBalancerSourceRanges: lb.spec.loadBalancerSourceRanges }, expected);
                    assert.deepEqual(lb.spec.selector, deployment.spec.selector.matchLabels);
                    // TLS ends at the NLB: the listener is what clients expect, the pod keeps its port.
                    const listener = EXPECTED_TLS.has(name) ? { name: "https", port: 443 } : { name: "http", port: 80 };
                    assert.deepEqual(lb.spec.ports, [{ ...listener, targetPort: "http", protocol: "TCP" }]);
                });

                itWhen(EXPECTED_TLS.has(name), "uses an ACM certificate of the stack's region", () => {
                    assert.match(app.tls!.certificateArn, new RegExp(`^arn:aws:acm:${region}:\\d{12}:certificate/[0-9a-f-]{36}$`));
                });

                it("autoscales with an autoscaling/v2 HPA on CPU and memory, from at least 2 pods", () => {
                    const [hpa] = inNamespace(resources, K.hpa, ns);
                    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name });
                    assert.equal(hpa.spec.minReplicas, app.replicas.min);
                    assert.ok(hpa.spec.minReplicas >= 2);
                    assert.equal(hpa.spec.maxReplicas, app.replicas.max);
                    assert.deepEqual(hpa.spec.metrics.map((m: any) => `${m.resource.name}:${m.resource.target.averageUtilization}`),
                        [`cpu:${app.autoscaling.cpuPercent}`, `memory:${app.autoscaling.memoryPercent}`]);
                });

                it("has a PodDisruptionBudget that allows one disruption and stays below the HPA minimum", () => {
                    const [pdb] = inNamespace(resources, K.pdb, ns);
                    const [hpa] = inNamespace(resources, K.hpa, ns);
                    assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas);
                    assert.equal(hpa.spec.minReplicas - pdb.spec.minAvailable, 1);
                    assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
                });

                it("has a ServiceMonitor Prometheus selects, on the in-cluster Service's port and not the load balancer's", () => {
                    const [monitor] = inNamespace(resources, K.serviceMonitor, ns);
                    const service = inNamespace(resources, K.service, ns).find((svc) => svc.metadata.name === name);
                    const selected = inNamespace(resources, K.service, ns).filter((svc) => selects(monitor.spec.selector, svc.metadata.labels));
                    assert.deepEqual(selected.map((svc) => svc.metadata.name), [name]);
                    for (const [label, value] of Object.entries(SERVICE_MONITOR_LABELS)) {
                        assert.equal(monitor.metadata.labels[label], value);
                    }
                    assert.deepEqual(monitor.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
                    for (const [label, value] of Object.entries(monitor.spec.selector.matchLabels)) {
                        assert.equal(service.metadata.labels[label], value);
                    }
                    assert.deepEqual(monitor.spec.namespaceSelector, { matchNames: [ns] });
                    assert.equal(monitor.spec.endpoints[0].port, service.spec.ports[0].name);
                    assert.equal(monitor.spec.endpoints[0].path, app.metricsPath);
                });
            });
        }
    });
}
