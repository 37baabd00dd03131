import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppSpec, resolveApp, ResolvedApp } from "../apps/app";
import { GuardedNamespace } from "../apps/GuardedNamespace";
import { PROBER } from "../apps/workloadManifests";
import { chartArchive } from "../charts";
import {
    BLACKBOX_CHART,
    BLACKBOX_RELEASE,
    BLACKBOX_REPLICAS,
    blackboxNetworkPolicies,
    blackboxValues,
    probeManifest,
    probeTargets,
} from "./probes";

/**
 * Validation probes from outside the apps: the Prometheus blackbox exporter (vendored chart) in its
 * own restricted namespace, and one Probe per app and check (components/monitoring/probes.ts).
 */
export interface BlackboxProbesArgs {
    readonly provider: k8s.Provider;
    /** The catalog; adding an app adds its probes. */
    readonly apps: readonly AppSpec[];
    readonly vpcCidr: string;
    /** Load balancer DNS name by app name (AppCatalog.loadBalancerHostnames). */
    readonly loadBalancerHostnames: Readonly<Record<string, pulumi.Input<string>>>;
    /** Namespace of Prometheus, which scrapes the exporter. */
    readonly monitoringNamespace: string;
    /** Labels the Prometheus probe selector matches (`release: <kube-prometheus-stack release>`). */
    readonly releaseLabels: Readonly<Record<string, string>>;
}

/** Rolling update of two pods with one surge pod. */
const PODS = BLACKBOX_REPLICAS + 1;

export class BlackboxProbes extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    /** Probe object names, one per app and check. */
    public readonly probeNames: string[];

    constructor(name: string, args: BlackboxProbesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:monitoring:BlackboxProbes", name, {}, opts);
        const apps = args.apps.map((app) => resolveApp(app, args.vpcCidr));
        const hostname = (app: ResolvedApp): pulumi.Input<string> => {
            const host = args.loadBalancerHostnames[app.name];
            if (host === undefined) {
                throw new pulumi.ResourceError(`app ${app.name} is exposed (${app.exposure}) but no load balancer host name was passed for it`, this);
            }
            return host;
        };
        const targets = probeTargets(apps, args.vpcCidr, hostname);
        const child = { parent: this, provider: args.provider };

        const guarded = new GuardedNamespace(`${name}-ns`, {
            provider: args.provider,
            namespace: PROBER.namespace,
            podSecurity: "restricted",
            quota: { cpuMillis: 25 * PODS, memoryMiB: 32 * PODS, memoryLimitMiB: 64 * PODS, pods: PODS },
            containerDefaults: { cpuMillis: 25, memoryMiB: 32, memoryLimitMiB: 64 },
            labels: { "app.kubernetes.io/part-of": "iot-platform" },
        }, { parent: this });
        const namespace = guarded.namespaceName;
        const policies = Object.entries(blackboxNetworkPolicies(namespace, apps, args.vpcCidr, args.monitoringNamespace))
            .map(([role, manifest]) => new k8s.networking.v1.NetworkPolicy(`${name}-${role}`, manifest, child));

        // After the guarded namespace: pods created while the new quota has no status are rejected.
        const release = new k8s.helm.v3.Release(`${name}-exporter`, {
            name: BLACKBOX_RELEASE,
            chart: chartArchive(BLACKBOX_CHART),
            namespace,
            createNamespace: false,
            values: blackboxValues(),
        }, { ...child, dependsOn: [guarded, ...policies] });

        for (const target of targets) {
            new k8s.apiextensions.CustomResource(`${name}-${target.name}`, probeManifest(target, namespace, args.releaseLabels), { ...child, dependsOn: [release] });
        }

        this.namespace = namespace;
        this.probeNames = targets.map((t) => t.name);
        this.registerOutputs({ namespace: this.namespace, probeNames: this.probeNames });
    }
}
