/**
 * Renders every vendored chart the program deploys with real Helm and exactly the values the program
 * passes, per stack, and checks the output. Run by `npm run test:charts` (not part of `npm test`,
 * see docs/charts.md for why and for what each check proves).
 */
import { strict as assert } from "assert";
import * as path from "path";
import { CHARTS_DIR, readTgz } from "../../tools/charts/archive";
import { renderChart, RenderedObject } from "../../tools/charts/render";
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

                it("renders without error, with --kube-version of the stack", () => {
                    assert.ok(objects.length > 0);
                    assert.ok(objects.every((o) => o.metadata.namespace === undefined || o.metadata.namespace === target.namespace || o.kind === "CustomResourceDefinition"
                        || ["kube-system", "default"].includes(o.metadata.namespace)), "objects outside the release namespace");
                });

                it("sets no values path the chart ignores", () => {
                    assert.deepEqual(ignoredPaths(target, target.values(run)), []);
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
