/**
 * What the render checks render: one entry per Helm release the program deploys from a vendored
 * archive. A new chart joins the checks by adding an entry here (and, for its intents, a function in
 * intents.ts); the archive must also be in charts/charts.lock.json.
 */
import { PlatformConfig } from "../../stacks/config";
import { PROBER } from "../../components/apps/workloadManifests";
import { RELEASE_NAME } from "../../components/monitoring/Monitoring";
import { BLACKBOX_RELEASE } from "../../components/monitoring/probes";
import { RecordedResource } from "../../tools/mockProgram";
import { asManifest } from "../apps/k8sSchema";
import { runStack } from "../util";

export const STACKS = ["prod", "staging"] as const;

/** One stack's program run, as the values functions and intent checks see it. */
export interface StackRun {
    readonly stack: string;
    readonly config: PlatformConfig;
    readonly resources: readonly RecordedResource[];
}

export interface ChartTarget {
    /** File name under charts/. */
    readonly archive: string;
    readonly releaseName: string;
    readonly namespace: string;
    /** The values the program passes for a stack: what the checks render with. */
    readonly values: (run: StackRun) => Record<string, unknown>;
    /**
     * Values paths with non-empty defaults that the chart's templates still render whole (toYaml or
     * a range over the map), so keys under them are not looked up in the defaults.
     */
    readonly passthrough?: readonly string[];
    /** Objects the chart renders outside its release namespace, on purpose. @default [] */
    readonly outsideNamespace?: readonly string[];
}

const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The Helm release the program registers for this archive and release name. */
export function programRelease(run: StackRun, target: Pick<ChartTarget, "archive" | "releaseName">): Record<string, any> {
    const found = run.resources.filter((r) => r.type === RELEASE && r.inputs.chart === `./charts/${target.archive}` && r.inputs.name === target.releaseName);
    if (found.length !== 1) {
        throw new Error(`${run.stack}: expected one Release of ./charts/${target.archive} named ${target.releaseName}, found ${found.length}`);
    }
    return asManifest(found[0].inputs);
}

/** Exactly the values the program passes to that release (secret wrappers removed, as Helm sees them). */
function programValues(run: StackRun, target: Pick<ChartTarget, "archive" | "releaseName">): Record<string, unknown> {
    return programRelease(run, target).values ?? {};
}

/** A target whose values are the program's own for that release. */
function fromProgram(archive: string, releaseName: string, namespace: string, more: Pick<ChartTarget, "passthrough" | "outsideNamespace"> = {}): ChartTarget {
    return { archive, releaseName, namespace, ...more, values: (run) => programValues(run, { archive, releaseName }) };
}

export const CHART_TARGETS: readonly ChartTarget[] = [
    fromProgram("kube-prometheus-stack-88.5.3.tgz", RELEASE_NAME, "monitoring", {
        // Written out with toYaml (templates/alertmanager/secret.yaml).
        passthrough: ["alertmanager.config"],
        // The headless Service Prometheus scrapes CoreDNS through (templates/exporters/core-dns/service.yaml).
        outsideNamespace: [`Service kube-system/${RELEASE_NAME}-coredns`],
    }),
    // extraArgs become one flag per key (a range in templates/deployment.yaml).
    fromProgram("cluster-autoscaler-9.59.0.tgz", "cluster-autoscaler", "kube-system", { passthrough: ["extraArgs"] }),
    // resources is written out with toYaml (templates/deployment.yaml).
    fromProgram("metrics-server-3.13.1.tgz", "metrics-server", "kube-system", { passthrough: ["resources"] }),
    // config is written out whole into the ConfigMap (templates/configmap.yaml); podDisruptionBudget,
    // podSecurityContext and resources with toYaml (templates/poddisruptionbudget.yaml, _helpers.tpl).
    fromProgram("prometheus-blackbox-exporter-11.17.2.tgz", BLACKBOX_RELEASE, PROBER.namespace, { passthrough: ["config", "podDisruptionBudget", "podSecurityContext", "resources"] }),
];

export async function stackRun(stack: string): Promise<StackRun> {
    const { config, resources } = await runStack(stack);
    return { stack, config, resources };
}
