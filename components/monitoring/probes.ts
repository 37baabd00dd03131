/**
 * Validation probes, as plain data: what the blackbox exporter checks for each catalog app, the
 * chart values, the Probe objects Prometheus scrapes, and the network paths the exporter needs.
 *
 * Per app: its readiness path through its Service, in the cluster (`check="service"`); for an app
 * behind a load balancer also its listener through the NLB (`check="listener"`), over TLS when the
 * app has a certificate, which adds the certificate's expiry.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedApp } from "../apps/app";
import { NAMESPACE_NAME_LABEL } from "../apps/namespaceManifests";
import { PROBER, selectorLabels, serviceManifest } from "../apps/workloadManifests";
import { VendoredChart } from "../charts";
import { cidrsOverlap, parseCidr } from "../network/cidr";

/** The vendored chart (charts/charts.lock.json): blackbox_exporter v0.28.0. */
export const BLACKBOX_CHART: VendoredChart = { name: "prometheus-blackbox-exporter", version: "11.17.2" };
export const BLACKBOX_RELEASE = PROBER.podLabels["app.kubernetes.io/instance"];
/** The chart's Service and container port (values.yaml `service.port`, `containerPort`). */
export const BLACKBOX_PORT = 9115;
/** How often each target is probed. */
export const PROBE_INTERVAL = "30s";

/** Modules of the exporter's config (blackbox_exporter CONFIGURATION.md at v0.28.0). */
export const MODULES = {
    /** Plain HTTP, a 2xx answer within the timeout: the readiness path through a Service or a plain listener. */
    http: "http_2xx",
    /**
     * HTTPS through a TLS listener; fails without TLS. The host name is not verified: the program
     * knows the certificate's ARN, not the DNS name clients use, and probes the NLB's own name. The
     * handshake, the answer and `probe_ssl_earliest_cert_expiry` are what this module checks.
     */
    tlsListener: "tls_listener",
} as const;

export const CHECKS = ["service", "listener"] as const;
export type Check = (typeof CHECKS)[number];

/** Resources of one exporter pod: it only opens connections. */
export const BLACKBOX_RESOURCES = { requests: { cpu: "25m", memory: "32Mi" }, limits: { memory: "64Mi" } } as const;
/** Two replicas and a disruption budget: with one, a node drain would blind every probe at once. */
export const BLACKBOX_REPLICAS = 2;

export interface ProbeTarget {
    /** The Probe object's name: `<app>-<check>`. */
    readonly name: string;
    readonly app: string;
    readonly appNamespace: string;
    readonly exposure: ResolvedApp["exposure"];
    readonly check: Check;
    readonly module: string;
    readonly url: pulumi.Input<string>;
}

/** The app's readiness path through its Service, by the Service's cluster DNS name and port. */
export function serviceProbeUrl(app: ResolvedApp): string {
    const port = (serviceManifest(app, app.namespace).spec as { ports: { port: number }[] }).ports[0].port;
    return `http://${app.name}.${app.namespace}.svc:${port}${app.probes.readinessPath}`;
}

/** The listener's address: HTTPS on 443 with TLS, else HTTP on 80 (the Service's load balancer ports). */
export function listenerProbeUrl(app: ResolvedApp, hostname: string): string {
    const port = (serviceManifest(app, app.namespace).spec as { ports: { port: number }[] }).ports[0].port;
    return `${app.tls ? "https" : "http"}://${hostname}:${port}${app.probes.readinessPath}`;
}

function contains(outer: string, inner: string): boolean {
    const a = parseCidr(outer);
    const b = parseCidr(inner);
    return a !== undefined && b !== undefined && a.prefix <= b.prefix && cidrsOverlap(a, b);
}

/**
 * Whether the exporter can reach the app's listener: always for a public NLB (the exporter leaves
 * through NAT like any client); for an internal one only when its source ranges admit the VPC,
 * where the exporter's pod addresses are. An internal app restricted to device networks gets its
 * Service probe only (docs/incident-response.md says how to add the listener).
 */
export function listenerReachable(app: ResolvedApp, vpcCidr: string): boolean {
    if (app.exposure === "public") {
        return true;
    }
    return app.exposure === "internal" && app.allowedSourceCidrs.some((cidr) => contains(cidr, vpcCidr));
}

/** Every probe of the catalog; the listener URLs come from the load balancers' host names once they exist. */
export function probeTargets(apps: readonly ResolvedApp[], vpcCidr: string, listenerHostname: (app: ResolvedApp) => pulumi.Input<string>): ProbeTarget[] {
    return apps.flatMap((app) => {
        const base = { app: app.name, appNamespace: app.namespace, exposure: app.exposure };
        const service: ProbeTarget = { ...base, name: `${app.name}-service`, check: "service", module: MODULES.http, url: serviceProbeUrl(app) };
        if (!listenerReachable(app, vpcCidr)) {
            return [service];
        }
        const listener: ProbeTarget = {
            ...base,
            name: `${app.name}-listener`,
            check: "listener",
            module: app.tls ? MODULES.tlsListener : MODULES.http,
            url: pulumi.output(listenerHostname(app)).apply((host) => listenerProbeUrl(app, host)),
        };
        return [service, listener];
    });
}

/** Values of the prometheus-blackbox-exporter chart (its values.yaml at 11.17.2). */
export function blackboxValues(): Record<string, unknown> {
    const http = { preferred_ip_protocol: "ip4", valid_http_versions: ["HTTP/1.1", "HTTP/2.0"], follow_redirects: false };
    return {
        replicas: BLACKBOX_REPLICAS,
        podDisruptionBudget: { minAvailable: 1 },
        // The chart's container securityContext already runs as 1000, read-only, no privilege
        // escalation, ALL capabilities dropped; restricted also needs a seccomp profile.
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        resources: BLACKBOX_RESOURCES,
        topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { ...PROBER.podLabels } },
        }],
        config: {
            modules: {
                [MODULES.http]: { prober: "http", timeout: "5s", http: { ...http, fail_if_ssl: false } },
                [MODULES.tlsListener]: { prober: "http", timeout: "5s", http: { ...http, fail_if_not_ssl: true, tls_config: { insecure_skip_verify: true } } },
            },
        },
    };
}

/** A Probe (monitoring.coreos.com/v1) for one target; Prometheus selects it by the release label. */
export function probeManifest(target: ProbeTarget, namespace: pulumi.Input<string>, releaseLabels: Readonly<Record<string, string>>) {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "Probe",
        metadata: { name: target.name, namespace, labels: { ...releaseLabels, "app.kubernetes.io/part-of": "iot-platform" } },
        spec: {
            jobName: `probe-${target.check}`,
            interval: PROBE_INTERVAL,
            scrapeTimeout: "10s",
            module: target.module,
            prober: { url: `${BLACKBOX_RELEASE}.${PROBER.namespace}.svc:${BLACKBOX_PORT}`, path: "/probe", scheme: "http" },
            targets: {
                staticConfig: {
                    static: [target.url],
                    // What the probe alerts group and route by.
                    labels: { app: target.app, app_namespace: target.appNamespace, exposure: target.exposure, check: target.check },
                },
            },
        },
    };
}

function tcp(port: number): k8s.types.input.networking.v1.NetworkPolicyPort {
    return { protocol: "TCP", port };
}

/**
 * The exporter's paths through the namespace's default deny: Prometheus in, and out exactly the
 * probed paths: each app's pods on their container port (what the policy sees behind the Service),
 * the VPC range on the internal listeners' ports (an internal NLB has addresses in the private
 * subnets), and public addresses on the public listeners' ports.
 */
export function blackboxNetworkPolicies(namespace: pulumi.Input<string>, apps: readonly ResolvedApp[], vpcCidr: string, monitoringNamespace: string): Record<string, k8s.networking.v1.NetworkPolicyArgs> {
    const podSelector = { matchLabels: { ...PROBER.podLabels } };
    const listenerPort = (app: ResolvedApp) => (serviceManifest(app, app.namespace).spec as { ports: { port: number }[] }).ports[0].port;
    const listeners = apps.filter((app) => listenerReachable(app, vpcCidr));
    const internalPorts = [...new Set(listeners.filter((a) => a.exposure === "internal").map(listenerPort))].sort((a, b) => a - b);
    const publicPorts = [...new Set(listeners.filter((a) => a.exposure === "public").map(listenerPort))].sort((a, b) => a - b);
    const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
        ...apps.map((app) => ({
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: app.namespace } }, podSelector: { matchLabels: selectorLabels(app) } }],
            ports: [tcp(app.port)],
        })),
        ...(internalPorts.length > 0 ? [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: internalPorts.map(tcp) }] : []),
        ...(publicPorts.length > 0 ? [{
            to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] } }],
            ports: publicPorts.map(tcp),
        }] : []),
    ];
    return {
        "blackbox-ingress": {
            metadata: { name: `${BLACKBOX_RELEASE}-ingress`, namespace },
            spec: {
                podSelector,
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{
                        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: monitoringNamespace } },
                        podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
                    }],
                    ports: [tcp(BLACKBOX_PORT)],
                }],
            },
        },
        "blackbox-egress": {
            metadata: { name: `${BLACKBOX_RELEASE}-egress`, namespace },
            spec: { podSelector, policyTypes: ["Egress"], egress },
        },
    };
}
