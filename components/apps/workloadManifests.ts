/**
 * An app's Kubernetes objects as plain manifests, built from its resolved entry. No Pulumi
 * resources here: tests render them directly and validate them against the Kubernetes schemas.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { AppTls, Exposure, imageReference, ResolvedApp } from "./app";
import { NAMESPACE_NAME_LABEL } from "./namespaceManifests";
import { minAvailableFor, ROLLOUT_SURGE, shutdownFor } from "./sizing";

/** The label Prometheus (kube-prometheus-stack) selects ServiceMonitors by. */
export const SERVICE_MONITOR_LABELS: Readonly<Record<string, string>> = { release: "kube-prometheus-stack" };
export const MONITORING_NAMESPACE = "monitoring";
/**
 * The blackbox exporter's pods (components/monitoring/probes.ts): every app admits them on its port,
 * so the in-cluster probe of its readiness path gets through the app's default deny.
 */
export const PROBER = {
    namespace: "probes",
    /** The chart's selector labels (`app.kubernetes.io/name`, `instance` = the release, named like the chart so its objects are named `prometheus-blackbox-exporter` too). */
    podLabels: { "app.kubernetes.io/name": "prometheus-blackbox-exporter", "app.kubernetes.io/instance": "prometheus-blackbox-exporter" },
} as const;
/** UID/GID the containers run as; any non-zero id satisfies `runAsNonRoot`. */
export const APP_USER_ID = 10001;
/** Port an app's Service listens on without TLS; it forwards to the container's `http` port. */
export const SERVICE_PORT = 80;
/** Port of a Service whose load balancer terminates TLS; it forwards to the same container port. */
export const TLS_SERVICE_PORT = 443;
/**
 * TLS 1.3 and 1.2 only, forward-secret ciphers: AWS's recommended policy for TLS listeners
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html).
 * Without the annotation the controller creates the listener through the API, whose default is
 * ELBSecurityPolicy-2016-08 (TLS 1.0 and up).
 */
export const TLS_NEGOTIATION_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const PORT_NAME = "http";
const SCRATCH_MOUNT = "/tmp";
/**
 * Served by the AWS cloud provider's legacy load balancer controller, which EKS runs in its control
 * plane: an NLB with instance targets (node ports), and no controller of ours to install. AWS gives
 * that controller only critical fixes and recommends the AWS Load Balancer Controller
 * (https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html); once that is
 * installed, its webhook claims new LoadBalancer Services and makes them internal unless they carry
 * `aws-load-balancer-scheme: internet-facing`.
 */
const NLB_ANNOTATIONS: Readonly<Record<string, string>> = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
};
/**
 * Service annotations by exposure. `public` takes the legacy controller's default scheme,
 * internet-facing, in the subnets tagged `kubernetes.io/role/elb`. For `internal` the controller
 * treats any value of `aws-load-balancer-internal` but "false" as internal and uses the subnets
 * tagged `kubernetes.io/role/internal-elb` (the private ones); the AWS Load Balancer Controller reads
 * the same annotation (deprecated there in favour of `aws-load-balancer-scheme`).
 */
export const LOAD_BALANCER_ANNOTATIONS: Readonly<Record<Exposure, Readonly<Record<string, string>> | undefined>> = {
    cluster: undefined,
    internal: { ...NLB_ANNOTATIONS, "service.beta.kubernetes.io/aws-load-balancer-internal": "true" },
    public: NLB_ANNOTATIONS,
};
/**
 * Egress the AWS SDK needs (STS for IRSA, Kinesis through NAT, S3 through the gateway endpoint):
 * HTTPS to public addresses only. Private and link-local ranges are excluded so the rule cannot
 * reach other pods, nodes or instance metadata. Revisit when interface VPC endpoints (private IPs) are added.
 */
export const AWS_API_EGRESS = {
    cidr: "0.0.0.0/0",
    except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"],
    port: 443,
} as const;

/** Another catalog app at the far end of a network policy rule. */
export interface PeerRef {
    readonly app: string;
    readonly namespace: string;
    /** The peer's container port (policies see traffic after the Service's translation). */
    readonly port: number;
}

export function appLabels(app: ResolvedApp): Record<string, string> {
    return { ...selectorLabels(app), "app.kubernetes.io/part-of": "iot-platform", "app.kubernetes.io/managed-by": "pulumi" };
}

export function selectorLabels(app: Pick<ResolvedApp, "name">): Record<string, string> {
    return { "app.kubernetes.io/name": app.name };
}

function peerSelector(peer: Pick<PeerRef, "app" | "namespace">): k8s.types.input.networking.v1.NetworkPolicyPeer {
    return {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
        podSelector: { matchLabels: selectorLabels({ name: peer.app }) },
    };
}

function tcp(port: number): k8s.types.input.networking.v1.NetworkPolicyPort {
    return { protocol: "TCP", port };
}

/**
 * The service account the pods run as. The Kubernetes API token is never mounted: no app talks to
 * the API. IRSA does not need it either; the EKS pod identity webhook projects its own token.
 */
export function serviceAccountManifest(app: ResolvedApp, namespace: pulumi.Input<string>, roleArn?: pulumi.Input<string>): k8s.core.v1.ServiceAccountArgs {
    return {
        metadata: {
            name: app.name,
            namespace,
            labels: appLabels(app),
            annotations: roleArn === undefined ? undefined : { "eks.amazonaws.com/role-arn": roleArn },
        },
        automountServiceAccountToken: false,
    };
}

/** The Pod Security Standards `restricted` profile, on every container. */
export const RESTRICTED_CONTAINER_SECURITY: k8s.types.input.core.v1.SecurityContext = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

export function deploymentManifest(
    app: ResolvedApp,
    namespace: pulumi.Input<string>,
    env: Readonly<Record<string, pulumi.Input<string>>>,
): k8s.apps.v1.DeploymentArgs {
    const shutdown = shutdownFor(app);
    const selector = selectorLabels(app);
    const scratch = app.scratchMiB > 0;
    const spread = (topologyKey: string, whenUnsatisfiable: string): k8s.types.input.core.v1.TopologySpreadConstraint => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable,
        labelSelector: { matchLabels: selector },
        // Counts only the current ReplicaSet's pods, so a rollout is not skewed by the old ones.
        matchLabelKeys: ["pod-template-hash"],
    });
    return {
        metadata: { name: app.name, namespace, labels: appLabels(app) },
        spec: {
            // No `replicas`: the HPA owns the count, and a value here would reset it on every deploy.
            selector: { matchLabels: selector },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: ROLLOUT_SURGE, maxUnavailable: 0 } },
            revisionHistoryLimit: 5,
            template: {
                metadata: { labels: appLabels(app) },
                spec: {
                    serviceAccountName: app.name,
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: APP_USER_ID,
                        runAsGroup: APP_USER_ID,
                        fsGroup: APP_USER_ID,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    terminationGracePeriodSeconds: shutdown.terminationGracePeriodSeconds,
                    topologySpreadConstraints: [
                        // Hosts strictly: the cluster autoscaler adds a node when no host is left.
                        spread("kubernetes.io/hostname", "DoNotSchedule"),
                        // Zones as a preference: one node group spans all zones and the autoscaler
                        // cannot pick the zone of a new node, so a hard rule could leave pods pending.
                        spread("topology.kubernetes.io/zone", "ScheduleAnyway"),
                    ],
                    containers: [{
                        name: app.name,
                        image: imageReference(app.image),
                        imagePullPolicy: "IfNotPresent",
                        ports: [{ name: PORT_NAME, containerPort: app.port, protocol: "TCP" }],
                        env: Object.keys(env).sort().map((name) => ({ name, value: env[name] })),
                        resources: {
                            requests: {
                                cpu: `${app.resources.cpuMillis}m`,
                                memory: `${app.resources.memoryMiB}Mi`,
                                ...(scratch ? { "ephemeral-storage": `${app.scratchMiB}Mi` } : {}),
                            },
                            limits: { memory: `${app.resources.memoryLimitMiB}Mi` },
                        },
                        securityContext: RESTRICTED_CONTAINER_SECURITY,
                        // Gives a slow start two minutes before liveness may restart the pod.
                        startupProbe: { httpGet: { path: app.probes.livenessPath, port: PORT_NAME }, periodSeconds: 5, failureThreshold: 24 },
                        // Liveness is lenient (a minute of failures) so a pod busy with a large fetch
                        // is not restarted; readiness is quick, so an overloaded pod stops getting traffic.
                        livenessProbe: { httpGet: { path: app.probes.livenessPath, port: PORT_NAME }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
                        readinessProbe: { httpGet: { path: app.probes.readinessPath, port: PORT_NAME }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
                        lifecycle: { preStop: { sleep: { seconds: shutdown.preStopSeconds } } },
                        volumeMounts: scratch ? [{ name: "scratch", mountPath: SCRATCH_MOUNT }] : undefined,
                    }],
                    volumes: scratch ? [{ name: "scratch", emptyDir: { sizeLimit: `${app.scratchMiB}Mi` } }] : undefined,
                },
            },
        },
    };
}

/**
 * The legacy controller's TLS settings for an NLB (k8s.io/cloud-provider-aws, `EnsureLoadBalancer`):
 * with `ssl-cert` set, each port listed in `ssl-ports` gets a TLS listener with that certificate and
 * the `ssl-negotiation-policy`. The target group stays TCP to the node port (it becomes TLS only with
 * `backend-protocol: ssl`), so TLS ends at the NLB and the pods keep serving plain HTTP.
 */
export function tlsAnnotations(tls: AppTls): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": tls.certificateArn,
        "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": String(TLS_SERVICE_PORT),
        "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": TLS_NEGOTIATION_POLICY,
    };
}

export function serviceManifest(app: ResolvedApp, namespace: pulumi.Input<string>): k8s.core.v1.ServiceArgs {
    // Only a load-balanced app has `tls` (the config loader and NamespacedApp refuse it on a cluster app).
    const annotations = LOAD_BALANCER_ANNOTATIONS[app.exposure];
    const tls = app.tls;
    return {
        metadata: {
            name: app.name,
            namespace,
            labels: appLabels(app),
            annotations: annotations === undefined ? undefined : { ...annotations, ...(tls ? tlsAnnotations(tls) : {}) },
        },
        spec: {
            type: app.exposure === "cluster" ? "ClusterIP" : "LoadBalancer",
            // An NLB has no security group of its own here: the legacy controller turns these ranges
            // into node security group rules on the node port (instance targets keep the client's
            // address). Without them it opens the node port to 0.0.0.0/0.
            loadBalancerSourceRanges: app.exposure === "internal" ? [...app.allowedSourceCidrs] : undefined,
            selector: selectorLabels(app),
            // Named for what the pods speak: the NLB hands them plain HTTP, and the ServiceMonitor
            // selects this name to scrape the pods directly, never through the load balancer.
            ports: [{ name: PORT_NAME, port: tls ? TLS_SERVICE_PORT : SERVICE_PORT, targetPort: PORT_NAME, protocol: "TCP" }],
        },
    };
}

export function horizontalPodAutoscalerManifest(app: ResolvedApp, namespace: pulumi.Input<string>): k8s.autoscaling.v2.HorizontalPodAutoscalerArgs {
    const utilization = (name: string, averageUtilization: number): k8s.types.input.autoscaling.v2.MetricSpec => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        metadata: { name: app.name, namespace, labels: appLabels(app) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: app.name },
            minReplicas: app.replicas.min,
            maxReplicas: app.replicas.max,
            metrics: [utilization("cpu", app.autoscaling.cpuPercent), utilization("memory", app.autoscaling.memoryPercent)],
            behavior: {
                // Scale in slowly, one pod every two minutes after ten quiet minutes: each removed
                // pod drains its long requests, and bursty fetch load should not flap the count.
                scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] },
            },
        },
    };
}

export function podDisruptionBudgetManifest(app: ResolvedApp, namespace: pulumi.Input<string>): k8s.policy.v1.PodDisruptionBudgetArgs {
    return {
        metadata: { name: app.name, namespace, labels: appLabels(app) },
        spec: {
            minAvailable: minAvailableFor(app),
            selector: { matchLabels: selectorLabels(app) },
            // A crash-looping pod must not block node drains and autoscaler scale-down.
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
    };
}

/** A ServiceMonitor (monitoring.coreos.com/v1) for the app's Service. */
export function serviceMonitorManifest(app: ResolvedApp, namespace: pulumi.Input<string>) {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: app.name, namespace, labels: { ...appLabels(app), ...SERVICE_MONITOR_LABELS } },
        spec: {
            selector: { matchLabels: selectorLabels(app) },
            namespaceSelector: { matchNames: [namespace] },
            endpoints: [{ port: PORT_NAME, path: app.metricsPath, interval: "30s", scrapeTimeout: "10s" }],
        },
    };
}

/**
 * Networks the app's pods accept load balancer traffic from. The VPC range for both kinds of load
 * balancer: instance targets forward through node ports and kube-proxy SNATs to the node, so traffic
 * arrives from node addresses in the VPC. An internal app also lists the sources its load balancer
 * admits, so the policy states the same networks as the Service and keeps admitting them if client
 * addresses are ever preserved to the pod (`externalTrafficPolicy: Local`, IP targets).
 */
export function loadBalancerPolicySources(app: ResolvedApp, vpcCidr: string): string[] {
    return app.exposure === "cluster" ? [] : [...new Set([vpcCidr, ...app.allowedSourceCidrs])];
}

/**
 * Who may reach the app: Prometheus from the monitoring namespace, the blackbox exporter, the declared callers, and for an
 * app behind a load balancer the networks of `loadBalancerPolicySources`. Kubelet probes come from
 * the pod's own node, which the VPC CNI policy agent always allows.
 */
export function ingressPolicyManifest(
    app: ResolvedApp,
    namespace: pulumi.Input<string>,
    callers: readonly PeerRef[],
    vpcCidr: string,
): k8s.networking.v1.NetworkPolicyArgs {
    const port = [tcp(app.port)];
    const loadBalancerSources = loadBalancerPolicySources(app, vpcCidr);
    return {
        metadata: { name: `${app.name}-ingress`, namespace, labels: appLabels(app) },
        spec: {
            podSelector: { matchLabels: selectorLabels(app) },
            policyTypes: ["Ingress"],
            ingress: [
                { from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: MONITORING_NAMESPACE } } }], ports: port },
                { from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: PROBER.namespace } }, podSelector: { matchLabels: { ...PROBER.podLabels } } }], ports: port },
                ...callers.map((caller) => ({ from: [peerSelector(caller)], ports: port })),
                ...(loadBalancerSources.length > 0 ? [{ from: loadBalancerSources.map((cidr) => ({ ipBlock: { cidr } })), ports: port }] : []),
            ],
        },
    };
}

/** Where the app may connect besides DNS: the apps it calls, and AWS APIs when it has data access. */
export function egressPolicyManifest(
    app: ResolvedApp,
    namespace: pulumi.Input<string>,
    callees: readonly PeerRef[],
): k8s.networking.v1.NetworkPolicyArgs | undefined {
    const rules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = callees.map((callee) => ({ to: [peerSelector(callee)], ports: [tcp(callee.port)] }));
    if (app.dataAccess.length > 0) {
        rules.push({ to: [{ ipBlock: { cidr: AWS_API_EGRESS.cidr, except: [...AWS_API_EGRESS.except] } }], ports: [tcp(AWS_API_EGRESS.port)] });
    }
    if (rules.length === 0) {
        return undefined;
    }
    return {
        metadata: { name: `${app.name}-egress`, namespace, labels: appLabels(app) },
        spec: { podSelector: { matchLabels: selectorLabels(app) }, policyTypes: ["Egress"], egress: rules },
    };
}
