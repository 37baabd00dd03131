import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveApp, ResolvedApp } from "../../components/apps/app";
import { PROBER } from "../../components/apps/workloadManifests";
import { BLACKBOX_RELEASE, listenerReachable, MODULES, probeTargets } from "../../components/monitoring/probes";
import { CERT_EXPIRY_WARNING_DAYS, platformRules } from "../../components/monitoring/rules";
import { RecordedResource, runPlatformProgram } from "../../tools/mockProgram";
import { SAMPLE_VPC_CIDR, sampleApp } from "../apps/fixtures";
import { ofType, one, runStack, withConfig } from "../util";
import { expectedAlert, hasTool, promtoolTest } from "./promtool";

const PROBE = "kubernetes:monitoring.coreos.com/v1:Probe";
const probesOf = (resources: RecordedResource[]) => ofType(resources, PROBE).map((r) => r.inputs);

describe("validation probes", () => {
    describe("derived from the catalog (prod)", () => {
        let resources: RecordedResource[];
        let apps: ResolvedApp[];
        let vpcCidr: string;
        before(async () => {
            const run = await runStack("prod");
            resources = run.resources;
            vpcCidr = run.config.network.cidr;
            apps = run.config.apps.map((app) => resolveApp(app, vpcCidr));
        });

        it("probes every app through its Service, and the exposed ones through their load balancer too", () => {
            const names = probesOf(resources).map((p) => p.metadata.name).sort();
            const exposed = apps.filter((app) => app.exposure !== "cluster" && listenerReachable(app, vpcCidr));
            assert.deepEqual(names, [...apps.map((app) => `${app.name}-service`), ...exposed.map((app) => `${app.name}-listener`)].sort());
            // The shipped gateway and dashboard are reached through their load balancers as well.
            assert.deepEqual(exposed.map((app) => app.name), ["device-gateway", "web-app"]);
            for (const probe of probesOf(resources)) {
                assert.equal(probe.metadata.namespace, PROBER.namespace);
                assert.equal(probe.metadata.labels.release, "kube-prometheus-stack");
                assert.equal(probe.spec.prober.url, `${BLACKBOX_RELEASE}.probes.svc:9115`);
            }
        });

        it("checks the readiness path through the Service, and the TLS listener at the NLB's name with the TLS module", () => {
            const byName = Object.fromEntries(probesOf(resources).map((p) => [p.metadata.name, p.spec]));
            assert.deepEqual(byName["telemetry-api-service"].targets.staticConfig, {
                static: ["http://telemetry-api.api.svc:8080/readyz"],
                labels: { app: "telemetry-api", app_namespace: "api", exposure: "cluster", check: "service" },
            });
            const service = ofType(resources, "kubernetes:core/v1:Service").find((s) => s.inputs.metadata.name === "web-app-lb")!;
            const host = service.outputs.status.loadBalancer.ingress[0].hostname;
            assert.deepEqual(byName["web-app-listener"].targets.staticConfig.static, [`https://${host}:443/readyz`]);
            assert.equal(byName["web-app-listener"].module, MODULES.tlsListener);
            assert.equal(byName["web-app-service"].module, MODULES.http);
        });

        it("runs the exporter from the vendored chart in a restricted namespace whose policies allow exactly the probed paths", () => {
            const release = one(resources, "kubernetes:helm.sh/v3:Release", "-probes-exporter").inputs;
            assert.equal(release.chart, "./charts/prometheus-blackbox-exporter-11.17.2.tgz");
            assert.equal(release.namespace, "probes");
            const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "probes")!;
            assert.equal(namespace.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
            const policies = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === "probes");
            assert.deepEqual(policies.map((p) => p.inputs.metadata.name).sort(), ["allow-dns", "default-deny", "prometheus-blackbox-exporter-egress", "prometheus-blackbox-exporter-ingress"]);
            const egress = policies.find((p) => p.inputs.metadata.name.endsWith("-egress"))!.inputs.spec.egress;
            assert.deepEqual(egress.map((rule: any) => [rule.to[0].namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] ?? rule.to[0].ipBlock.cidr, rule.ports.map((p: any) => p.port)]), [
                ...apps.map((app) => [app.namespace, [app.port]]),
                [vpcCidr, [443]],
                ["0.0.0.0/0", [443]],
            ]);
            const ingress = policies.find((p) => p.inputs.metadata.name.endsWith("-ingress"))!.inputs.spec.ingress;
            assert.deepEqual(ingress, [{
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
                ports: [{ protocol: "TCP", port: 9115 }],
            }]);
        });

        it("every app admits the exporter's pods on its port", () => {
            const ingress = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.name.endsWith("-ingress") && p.inputs.metadata.namespace !== "probes");
            assert.equal(ingress.length, apps.length);
            for (const policy of ingress) {
                const rule = policy.inputs.spec.ingress.find((r: any) => r.from[0].namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === "probes");
                assert.deepEqual(rule?.from[0].podSelector, { matchLabels: PROBER.podLabels }, policy.inputs.metadata.namespace);
            }
        });
    });

    it("adding an app to the stack file adds its probe", async () => {
        const config = withConfig("prod", "apps", (c) => {
            c.value.push({ ...c.value[1], name: "alarm-router", namespace: "alarms", dataAccess: [], replicas: { min: 2, max: 2 } });
        });
        const { resources } = await runPlatformProgram(config, "prod");
        const names = probesOf(resources).map((p) => p.metadata.name);
        assert.ok(names.includes("alarm-router-service"));
        assert.equal(names.length, probesOf((await runStack("prod")).resources).length + 1);
    });

    describe("which listeners the exporter can reach", () => {
        const internal = (sources?: string[], tls = true) => resolveApp({
            ...sampleApp(), exposure: "internal", allowedSourceCidrs: sources,
            tls: tls ? { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000001" } : undefined,
        }, SAMPLE_VPC_CIDR);

        it("an internal NLB admitting the VPC range (the default, or a range containing it)", () => {
            assert.equal(listenerReachable(internal(), SAMPLE_VPC_CIDR), true);
            assert.equal(listenerReachable(internal(["10.0.0.0/8"]), SAMPLE_VPC_CIDR), true);
        });

        it("not an internal NLB restricted to device networks: its Service is still probed", () => {
            const app = internal(["192.168.10.0/24"]);
            assert.equal(listenerReachable(app, SAMPLE_VPC_CIDR), false);
            assert.deepEqual(probeTargets([app], SAMPLE_VPC_CIDR, () => "nlb").map((t) => t.name), ["telemetry-api-service"]);
        });

        it("a plain-TCP internal listener is probed over HTTP on 80", async () => {
            const [, listener] = probeTargets([internal(undefined, false)], SAMPLE_VPC_CIDR, () => "nlb.example");
            assert.equal(listener.module, MODULES.http);
            assert.equal(await new Promise((resolve) => (listener.url as any).apply(resolve)), "http://nlb.example:80/readyz");
        });
    });
});

/** The probe rules evaluated by the real promtool on blackbox exporter series. */
describe("probe alerts (promtool)", function () {
    let dir: string;
    before(function () {
        if (!hasTool("promtool")) {
            this.skip();
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-rules-"));
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    const rules = platformRules({ appNamespaces: ["web"], nodeGroupMaxSize: 3, runbookBaseUrl: "https://example.com/runbooks/", probes: true });
    const group = rules.groups.find((g) => g.name === "iot-platform.probes")!.rules;
    const [critical, warning] = group.filter((r) => r.alert === "AppProbeFailing");
    const cert = group.find((r) => r.alert === "AppCertificateExpiringSoon")!;
    const target = (app: string, exposure: string, check: string, instance: string) =>
        `{job="probe-${check}", instance="${instance}", app="${app}", app_namespace="ns-${app}", exposure="${exposure}", check="${check}"}`;
    const labels = (app: string, exposure: string, check: string, instance: string) => ({ app, app_namespace: `ns-${app}`, exposure, check, instance, namespace: `ns-${app}` });
    /** A filled-in alert: summary and description carry $labels and $value, so promtool is given the rendered text. */
    const alert = (rule: typeof critical, l: Record<string, string>, value: string) => {
        const fill = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => l[k]).replace(/\{\{ \$value \| humanizePercentage \}\}/g, value);
        const e = expectedAlert(rule, l);
        return { ...e, exp_annotations: Object.fromEntries(Object.entries(e.exp_annotations).map(([k, v]) => [k, fill(v as string)])) };
    };

    it("pages for an exposed app whose listener fails, warns for a cluster app, per app", () => {
        const web = target("web-app", "public", "listener", "https://nlb:443/readyz");
        const api = target("telemetry-api", "cluster", "service", "http://telemetry-api.api.svc:80/readyz");
        promtoolTest(dir, "failing", rules, [
            { series: `probe_success${web}`, values: "0x30" },
            { series: `probe_success${api}`, values: "0x30" },
        ], "15m", {
            AppProbeFailing: [
                alert(critical, labels("web-app", "public", "listener", "https://nlb:443/readyz"), "0%"),
                alert(warning, labels("telemetry-api", "cluster", "service", "http://telemetry-api.api.svc:80/readyz"), "0%"),
            ],
        });
    });

    it("stays quiet when one probe in three fails (an NLB connection from a node back to itself)", () => {
        const gw = target("device-gateway", "internal", "listener", "https://nlb:443/readyz");
        promtoolTest(dir, "hairpin", rules, [{ series: `probe_success${gw}`, values: "1 1 0 1 1 0 1 1 0 1 1 0 1 1 0 1 1 0 1 1 0 1 1 0 1 1 0 1 1 0" }], "25m", { AppProbeFailing: [] });
    });

    it(`warns when a listener's certificate expires within ${CERT_EXPIRY_WARNING_DAYS} days, not at 30`, () => {
        const soon = target("web-app", "public", "listener", "https://nlb:443/readyz");
        const later = target("device-gateway", "internal", "listener", "https://gw:443/readyz");
        const l = { app: "web-app", app_namespace: "ns-web-app", instance: "https://nlb:443/readyz", namespace: "ns-web-app" };
        const filled = expectedAlert(cert, l);
        promtoolTest(dir, "cert", rules, [
            { series: `probe_ssl_earliest_cert_expiry${soon}`, values: `${10 * 86400}x120` },
            { series: `probe_ssl_earliest_cert_expiry${later}`, values: `${30 * 86400}x120` },
        ], "90m", {
            AppCertificateExpiringSoon: [{
                ...filled,
                exp_annotations: {
                    ...filled.exp_annotations,
                    summary: `The TLS certificate of web-app's load balancer expires within ${CERT_EXPIRY_WARNING_DAYS} days`,
                    description: "The certificate served at https://nlb:443/readyz expires in 9d 22h 30m 0s.",
                },
            }],
        });
    });
});
