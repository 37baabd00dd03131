import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CHART, RELEASE_NAME } from "../../components/monitoring/Monitoring";
import { RESOURCES } from "../../components/monitoring/values";
import { RecordedResource, runPlatformProgram } from "../../tools/mockProgram";
import { childrenOf, ofType, one, runStack, stackConfig } from "../util";
import { secret } from "./secrets";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("Monitoring", () => {
    let prod: RecordedResource[];
    let staging: RecordedResource[];
    before(async () => {
        prod = (await runStack("prod")).resources;
        staging = (await runStack("staging")).resources;
    });
    const values = (resources: RecordedResource[]) => one(resources, RELEASE, "-monitoring-stack").inputs.values;

    describe("Helm release", () => {
        it("installs kube-prometheus-stack from its vendored archive into monitoring", () => {
            const release = one(prod, RELEASE, "-monitoring-stack").inputs;
            assert.equal(release.chart, "./charts/kube-prometheus-stack-88.5.3.tgz");
            assert.equal(CHART.version, "88.5.3");
            assert.equal(release.repositoryOpts, undefined);
            assert.equal(release.version, undefined, "a local archive carries its version");
            assert.equal(release.name, RELEASE_NAME);
            assert.equal(release.namespace, "monitoring");
        });

        it("sets retention and gp3 storage per environment", () => {
            const p = values(prod).prometheus.prometheusSpec;
            assert.equal(p.retention, "30d");
            assert.equal(p.retentionSize, "85GB");
            assert.deepEqual(p.storageSpec.volumeClaimTemplate.spec, {
                storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } },
            });
            const s = values(staging).prometheus.prometheusSpec;
            assert.equal(s.retention, "7d");
            assert.equal(s.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "20Gi");
        });

        it("runs two Alertmanagers with a disruption budget in prod, one in staging", () => {
            assert.equal(values(prod).alertmanager.alertmanagerSpec.replicas, 2);
            assert.equal(values(prod).alertmanager.podDisruptionBudget.enabled, true);
            assert.equal(values(staging).alertmanager.alertmanagerSpec.replicas, 1);
            assert.equal(values(staging).alertmanager.podDisruptionBudget.enabled, false);
        });

        it("does not scrape the EKS-managed control plane, nor keep its rules", () => {
            const v = values(prod);
            assert.deepEqual([v.kubeControllerManager.enabled, v.kubeScheduler.enabled, v.kubeEtcd.enabled], [false, false, false]);
            assert.equal(v.defaultRules.rules.etcd, false);
            assert.equal(v.defaultRules.rules.kubeControllerManager, false);
            assert.equal(v.defaultRules.rules.kubeSchedulerAlerting, false);
            assert.equal(v.defaultRules.rules.kubeSchedulerRecording, false);
        });

        it("does not scrape kube-proxy, whose EKS add-on serves metrics on 127.0.0.1 only, nor page KubeProxyDown", () => {
            for (const v of [values(prod), values(staging)]) {
                assert.equal(v.kubeProxy.enabled, false);
                assert.equal(v.defaultRules.rules.kubeProxy, false);
            }
        });

        it("reads Grafana's admin password from a Secret, never the chart default", () => {
            const grafana = values(prod).grafana;
            assert.deepEqual(grafana.admin, { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
            assert.equal(grafana.adminPassword, undefined);
            const secretObject = ofType(prod, "kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "grafana-admin")!;
            assert.equal(secretObject.inputs.metadata.namespace, "monitoring");
            // The random password is secret, so the whole stringData reaches the engine as one secret.
            const password: string = secretObject.inputs.stringData.value["admin-password"];
            assert.deepEqual(secretObject.inputs.stringData, secret({ "admin-user": "admin", "admin-password": password }));
            assert.match(password, /^\S{24,}$/);
        });

        it("exports the Grafana password only as a secret", async () => {
            const run = await runStack("prod");
            assert.equal(await pulumi.isSecret(run.platform.monitoring.grafanaAdminPassword), true);
        });

        it("selects ServiceMonitors, PodMonitors and rules labelled with the release, in every namespace", () => {
            const p = values(prod).prometheus.prometheusSpec;
            for (const kind of ["serviceMonitor", "podMonitor", "rule"]) {
                assert.equal(p[`${kind}SelectorNilUsesHelmValues`], false, kind);
                assert.deepEqual(p[`${kind}Selector`], { matchLabels: { release: "kube-prometheus-stack" } }, kind);
                assert.deepEqual(p[`${kind}NamespaceSelector`], {}, kind);
            }
        });

        it("leaves the app namespaces to the platform's rules, so the chart's app alerts do not fire twice", async () => {
            assert.equal(values(prod).defaultRules.appNamespacesOperator, "!~");
            const namespaces = (await runStack("prod")).config.apps.map((app) => app.namespace);
            assert.equal(values(prod).defaultRules.appNamespacesTarget, namespaces.join("|"));
        });

        it("requests resources for every component of the stack", () => {
            const v = values(prod);
            const requested = [
                v.prometheus.prometheusSpec.resources, v.alertmanager.alertmanagerSpec.resources, v.grafana.resources,
                v.grafana.sidecar.resources, v.prometheusOperator.resources, v.prometheusOperator.prometheusConfigReloader.resources,
                v.prometheusOperator.admissionWebhooks.patch.resources, v["kube-state-metrics"].resources, v["prometheus-node-exporter"].resources,
            ];
            assert.equal(requested.length, Object.keys(RESOURCES).length);
            for (const r of requested) {
                assert.ok(r.requests.cpu && r.requests.memory && r.limits.memory, JSON.stringify(r));
            }
        });

        it("mounts the receiver Secret into Alertmanager and routes without credentials in the values", () => {
            const am = values(prod).alertmanager;
            assert.deepEqual(am.alertmanagerSpec.secrets, ["alertmanager-receivers"]);
            assert.deepEqual(am.config.receivers, [{ name: "null" }, { name: "critical" }, { name: "warning" }]);
        });
    });

    describe("receivers", () => {
        it("puts configured credentials into the receiver Secret as secrets and turns the integrations on", async () => {
            const config = stackConfig("prod");
            config["iot-platform:slackWebhookUrl"] = "https://hooks.slack.com/services/T000/B000/XXXX";
            config["iot-platform:pagerdutyRoutingKey"] = "0123456789abcdef0123456789abcdef";
            const run = await runPlatformProgram(config, "prod", ["iot-platform:slackWebhookUrl", "iot-platform:pagerdutyRoutingKey"]);
            const receivers = ofType(run.resources, "kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "alertmanager-receivers")!;
            assert.deepEqual(receivers.inputs.stringData, secret({
                "slack-webhook-url": "https://hooks.slack.com/services/T000/B000/XXXX",
                "pagerduty-routing-key": "0123456789abcdef0123456789abcdef",
            }));
            const critical = one(run.resources, RELEASE, "-monitoring-stack").inputs.values.alertmanager.config.receivers[1];
            assert.deepEqual(Object.keys(critical).sort(), ["name", "pagerduty_configs", "slack_configs"]);
            assert.doesNotMatch(JSON.stringify(one(run.resources, RELEASE, "-monitoring-stack").inputs.values), /hooks\.slack\.com|0123456789abcdef0123/);
        });
    });

    describe("Kubernetes objects", () => {
        it("guards the monitoring namespace, enforcing privileged only because node-exporter reads the host", () => {
            const ns = ofType(prod, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "monitoring")!;
            assert.equal(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "privileged");
            const guard = one(prod, "iot:apps:GuardedNamespace", "-monitoring-namespace");
            const kinds = childrenOf(prod, guard).map((c) => c.type).sort();
            assert.deepEqual(kinds, [
                "kubernetes:core/v1:LimitRange", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ResourceQuota",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            ]);
        });

        it("sizes the quota to hold the whole stack twice over (rolling updates)", () => {
            const quota = ofType(prod, "kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === "monitoring")!;
            // prod: 2 Alertmanagers, up to 6 node-exporters
            assert.equal(quota.inputs.spec.hard.pods, String((1 + 2 + 1 + 1 + 1 + 6 + 1) * 2));
        });

        it("ships the platform rules as a PrometheusRule the release selects", () => {
            const rule = ofType(prod, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")[0];
            assert.deepEqual(rule.inputs.metadata.labels, { release: "kube-prometheus-stack" });
            assert.equal(rule.inputs.metadata.namespace, "monitoring");
            assert.deepEqual(rule.inputs.spec.groups.map((g: { name: string }) => g.name), ["iot-platform.apps", "iot-platform.capacity", "iot-platform.probes", "iot-platform.canary"]);
        });

        it("provisions three dashboards as ConfigMaps the Grafana sidecar loads", () => {
            const maps = ofType(prod, "kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.labels?.grafana_dashboard === "1");
            assert.deepEqual(maps.map((m) => m.inputs.metadata.name).sort(), ["iot-platform-app-golden-signals", "iot-platform-capacity", "iot-platform-overview"]);
            for (const m of maps) {
                const [file, json] = Object.entries(m.inputs.data as Record<string, string>)[0];
                assert.equal(JSON.parse(json).uid, file.replace(/\.json$/, ""));
            }
            const capacity = JSON.parse(maps.find((m) => m.inputs.metadata.name === "iot-platform-capacity")!.inputs.data["iot-platform-capacity.json"]);
            assert.ok(JSON.stringify(capacity).includes("vector(6)"), "capacity dashboard shows the prod node group max");
        });

        it("deploys every Kubernetes object through the cluster's provider", () => {
            const component = one(prod, "iot:monitoring:Monitoring");
            const objects = childrenOf(prod, component).filter((c) => c.type.startsWith("kubernetes:"));
            assert.ok(objects.length >= 9);
        });
    });
});
