/**
 * Renders every vendored chart the program deploys with real Helm and exactly the values the program
 * passes, per stack, and checks the output. Run by `npm run test:charts` (not part of `npm test`,
 * see docs/charts.md for why and for what each check proves).
 */
import { strict as assert } from "assert";
import * as path from "path";
import { CHARTS_DIR, readTgz } from "../../tools/charts/archive";
import { objectId, renderChart, RenderedObject } from "../../tools/charts/render";
import { chartDefaults, ignoredValuePaths } from "../../tools/charts/values";
import { INTENTS, isTestHook, of, resourceRequests, WORKLOAD_KINDS } from "./intents";
import { CHART_TARGETS, ChartTarget, STACKS, StackRun, stackRun } from "./targets";
import { validateRendered } from "./validation";

const defaultsCache = new Map<string, Record<string, unknown>>();

/** The chart's defaults, subcharts merged. */
function defaultsOf(target: ChartTarget): Record<string, unknown> {
    if (!defaultsCache.has(target.archive)) {
        const chartDir = target.archive.replace(/-\d+\.\d+\.\d+\.tgz$/, "");
        defaultsCache.set(target.archive, chartDefaults(readTgz(path.join(CHARTS_DIR, target.archive)), chartDir));
    }
    return defaultsCache.get(target.archive)!;
}

export function render(target: ChartTarget, run: StackRun, values = target.values(run)): RenderedObject[] {
    return renderChart({ archive: target.archive, releaseName: target.releaseName, namespace: target.namespace, kubeVersion: run.config.cluster.kubernetesVersion, values });
}

export function ignoredPaths(target: ChartTarget, values: Record<string, unknown>): string[] {
    return ignoredValuePaths(values, defaultsOf(target), target.passthrough);
}

for (const stack of STACKS) {
    describe(`vendored charts rendered with the program's values (${stack})`, () => {
        let run: StackRun;
        before(async () => {
            run = await stackRun(stack);
        });

        for (const target of CHART_TARGETS) {
            describe(`${target.releaseName} (${target.archive})`, () => {
                let objects: RenderedObject[];
                before(() => {
                    objects = render(target, run);
                });

                it("renders without error, with --kube-version of the stack, into its namespace", () => {
                    assert.ok(objects.length > 0);
                    const elsewhere = objects.filter((o) => o.metadata.namespace !== undefined && o.metadata.namespace !== target.namespace).map(objectId);
                    assert.deepEqual(elsewhere, target.outsideNamespace ?? []);
                });

                it("sets no values path the chart ignores", () => {
                    assert.deepEqual(ignoredPaths(target, target.values(run)), []);
                    // A pass-through path must itself be a map the chart defines, so the list cannot rot.
                    const defaults = defaultsOf(target);
                    for (const at of target.passthrough ?? []) {
                        const value = at.split(".").reduce<any>((v, key) => v?.[key], defaults);
                        assert.ok(value !== null && typeof value === "object" && !Array.isArray(value), `pass-through ${at} is not a map in the chart's defaults`);
                    }
                });

                it("renders only objects valid against the strict Kubernetes schemas and the shipped CRDs", () => {
                    assert.deepEqual(validateRendered(objects), []);
                });

                it("requests CPU and memory for every container it runs (Helm test hooks excepted)", () => {
                    assert.deepEqual(resourceRequests(objects), []);
                    // Name the exceptions, so a new one is seen.
                    assert.deepEqual(objects.filter((o) => isTestHook(o) && WORKLOAD_KINDS.includes(o.kind)).map((o) => `${o.kind} ${o.metadata.name}`),
                        target.releaseName === "kube-prometheus-stack" ? [`Pod ${target.releaseName}-grafana-test`] : []);
                });

                const intents = INTENTS[target.releaseName];
                if (intents) {
                    it("does what the program means its values to do", () => {
                        assert.deepEqual(intents(objects, run, target.values(run)), []);
                    });
                }

                it("deploys workloads only from images pinned by tag", () => {
                    const images = objects.filter((o) => !isTestHook(o)).flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []);
                    assert.ok(of(objects, "Deployment").length + of(objects, "DaemonSet").length > 0);
                    assert.deepEqual(images.filter((i) => !/:[\w.-]+(@sha256:[0-9a-f]{64})?"$/.test(i) || /:latest"$/.test(i)), []);
                });
            });
        }
    });
}

describe("the render checks fail on planted mistakes (prod)", () => {
    let run: StackRun;
    before(async () => {
        run = await stackRun("prod");
    });
    const target = (releaseName: string) => CHART_TARGETS.find((t) => t.releaseName === releaseName)!;
    /** The program's values for a release with one mistake planted. */
    const planted = (releaseName: string, plant: (values: any) => void) => {
        const values = structuredClone(target(releaseName).values(run));
        plant(values);
        return values;
    };
    const intentsOf = (releaseName: string, values: Record<string, any>) => INTENTS[releaseName](render(target(releaseName), run, values), run, values);

    it("a misspelt values key is reported by its path, and the replicas it meant to set are missing", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            v.alertmanager.alertmanagerSpec.replica = v.alertmanager.alertmanagerSpec.replicas;
            delete v.alertmanager.alertmanagerSpec.replicas;
        });
        assert.deepEqual(ignoredPaths(target("kube-prometheus-stack"), values), ["alertmanager.alertmanagerSpec.replica"]);
        assert.ok(intentsOf("kube-prometheus-stack", values).includes("Alertmanager replicas: want 2, rendered 1"));
    });

    it("a dropped replica setting falls back to the chart's one Alertmanager and no disruption budget", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            delete v.alertmanager.alertmanagerSpec.replicas;
            delete v.alertmanager.podDisruptionBudget;
        });
        assert.deepEqual(ignoredPaths(target("kube-prometheus-stack"), values), []);
        assert.deepEqual(intentsOf("kube-prometheus-stack", values), [
            "Alertmanager replicas: want 2, rendered 1",
            "Alertmanager: want one PodDisruptionBudget with minAvailable 1, found 0",
        ]);
    });

    it("a misspelt key inside a free-form block fails the custom resource against its CRD", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            const spec = v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec;
            spec.storageClassNam = spec.storageClassName;
            delete spec.storageClassName;
        });
        assert.deepEqual(ignoredPaths(target("kube-prometheus-stack"), values), [], "storageSpec is passed through whole");
        const problems = validateRendered(render(target("kube-prometheus-stack"), run, values));
        assert.deepEqual(problems, ['Prometheus monitoring/kube-prometheus-stack-prometheus: /spec/storage/volumeClaimTemplate/spec: unknown field "storageClassNam"']);
    });

    it("a misspelt field in a built-in object fails the strict Kubernetes schema", () => {
        const values = planted("metrics-server", (v) => {
            v.topologySpreadConstraints[0].maxSkeww = 1;
        });
        const problems = validateRendered(render(target("metrics-server"), run, values));
        assert.deepEqual(problems, ['Deployment kube-system/metrics-server: /spec/template/spec/topologySpreadConstraints/0: unknown field "maxSkeww"']);
    });

    it("a container without requests is named", () => {
        const values = planted("cluster-autoscaler", (v) => {
            delete v.resources;
        });
        assert.deepEqual(resourceRequests(render(target("cluster-autoscaler"), run, values)), ["Deployment cluster-autoscaler container aws-cluster-autoscaler: no cpu and memory requests"]);
    });

    it("a rule selector that misses the program's PrometheusRule is reported", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            v.prometheus.prometheusSpec.ruleSelector = { matchLabels: { release: "other" } };
        });
        assert.ok(intentsOf("kube-prometheus-stack", values).includes('PrometheusRule iot-platform (labels {"release":"kube-prometheus-stack"}) is not selected by {"matchLabels":{"release":"other"}}'));
    });

    it("Grafana without the existing Secret gets a chart-made password, which is reported", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            delete v.grafana.admin;
        });
        const problems = intentsOf("kube-prometheus-stack", values);
        assert.ok(problems.includes("Secret kube-prometheus-stack-grafana carries a Grafana admin-password the chart made up"), problems.join("\n"));
    });

    it("a control-plane target switched back on is reported", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            v.kubeProxy.enabled = true;
            v.defaultRules.rules.kubeProxy = true;
        });
        const problems = intentsOf("kube-prometheus-stack", values).filter((p) => p.startsWith("kube-proxy"));
        assert.equal(problems.length, 2, problems.join("\n"));
    });

    it("a second Grafana the namespace quota was not sized for, and a container left to the LimitRange's default memory limit, are reported", () => {
        const values = planted("kube-prometheus-stack", (v) => {
            v.grafana.replicas = 2;
            delete v.prometheus.prometheusSpec.resources.limits;
        });
        const problems = intentsOf("kube-prometheus-stack", values).filter((p) => /ResourceQuota|LimitRange/.test(p));
        assert.ok(problems.some((p) => p.startsWith("ResourceQuota monitoring requests.memory: 6656Mi holds")), problems.join("\n"));
        assert.ok(problems.includes("Prometheus kube-prometheus-stack-prometheus container prometheus: memory limit 128Mi (after LimitRange defaults) is below its request 2048Mi"), problems.join("\n"));
    });

    it("cluster-autoscaler without its cap, and metrics-server on one replica, are reported", () => {
        const autoscaler = planted("cluster-autoscaler", (v) => {
            delete v.extraArgs["max-nodes-total"];
        });
        assert.ok(intentsOf("cluster-autoscaler", autoscaler).some((p) => p.startsWith("cluster-autoscaler: --max-nodes-total=6 missing")));
        const metrics = planted("metrics-server", (v) => {
            v.replicas = 1;
        });
        assert.ok(intentsOf("metrics-server", metrics).includes("metrics-server replicas: want 2, rendered 1"));
    });

    it("a blackbox exporter renamed away from the pods the policies select, missing a module, on one replica, or left without seccomp, is reported", () => {
        const values = planted("prometheus-blackbox-exporter", (v) => {
            v.nameOverride = "blackbox";
            v.replicas = 1;
            delete v.config.modules.tls_listener;
            delete v.podSecurityContext;
        });
        assert.deepEqual(ignoredPaths(target("prometheus-blackbox-exporter"), values), ["nameOverride"]);
        const problems = intentsOf("prometheus-blackbox-exporter", values);
        assert.ok(problems.some((p) => p.startsWith("blackbox-exporter pods (labels")), problems.join("\n"));
        assert.ok(problems.includes("blackbox-exporter replicas: want 2, rendered 1"), problems.join("\n"));
        assert.ok(problems.includes("blackbox-exporter config has no module tls_listener, which a Probe uses"), problems.join("\n"));
        assert.ok(problems.includes("blackbox-exporter pod: no RuntimeDefault seccomp profile (restricted pod security)"), problems.join("\n"));
    });
});
