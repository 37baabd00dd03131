import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartArchive, VendoredChart } from "../charts";

/** The vendored chart (charts/charts.lock.json), app v0.8.1. */
export const METRICS_SERVER_CHART: VendoredChart = { name: "metrics-server", version: "3.13.1" };

/** metrics-server: the resource metrics API the HorizontalPodAutoscalers read CPU and memory from. */
export interface MetricsServerArgs {
    readonly provider: k8s.Provider;
    /** Two replicas keep every HPA working through a node drain. @default 2 */
    readonly replicas?: number;
}

export class MetricsServer extends pulumi.ComponentResource {
    public readonly releaseName: pulumi.Output<string>;

    constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:addons:MetricsServer", name, {}, opts);

        const replicas = args.replicas ?? 2;
        if (!(Number.isInteger(replicas) && replicas >= 1)) {
            throw new pulumi.ResourceError(`replicas must be a whole number of at least 1, got ${replicas}`, this);
        }

        const release = new k8s.helm.v3.Release(`${name}-release`, {
            name: "metrics-server",
            chart: chartArchive(METRICS_SERVER_CHART),
            namespace: "kube-system",
            values: metricsServerValues(replicas),
        }, { parent: this, provider: args.provider });

        this.releaseName = release.name;
        this.registerOutputs({ releaseName: this.releaseName });
    }
}

/** Chart values (charts/metrics-server/values.yaml); the chart's restricted securityContext is kept. */
export function metricsServerValues(replicas: number) {
    return {
        replicas,
        podDisruptionBudget: { enabled: replicas > 1, maxUnavailable: 1 },
        resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
        topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { "app.kubernetes.io/name": "metrics-server" } },
        }],
    };
}
