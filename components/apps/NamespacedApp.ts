import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../cluster/Cluster";
import {
    AppSpec,
    certificateArnProblem,
    certificateRegionProblem,
    DATA_ACCESS,
    DataAccess,
    DNS_LABEL,
    EXPOSURES,
    imagePinProblem,
    RESERVED_NAMESPACES,
    resolveApp,
    ResolvedApp,
    sourceCidrProblem,
} from "./app";
import { AppPeers, NO_PEERS } from "./catalog";
import { GuardedNamespace } from "./GuardedNamespace";
import { quotaFor } from "./sizing";
import {
    appLabels,
    deploymentManifest,
    egressPolicyManifest,
    horizontalPodAutoscalerManifest,
    ingressPolicyManifest,
    podDisruptionBudgetManifest,
    serviceAccountManifest,
    serviceManifest,
    serviceMonitorManifest,
} from "./workloadManifests";

/** What one data-access kind grants: an IAM document scoped to the platform's ARNs, and where to find the data. */
export interface DataAccessGrant {
    readonly policyJson: pulumi.Input<string>;
    /** Environment variables telling the app which stream or bucket to use. */
    readonly env: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * One catalog app in its own guarded namespace: service account with an IRSA role limited to its
 * declared data access, Deployment, Service, HPA, PodDisruptionBudget, ServiceMonitor and the
 * network policies for its callers, callees and AWS APIs.
 */
export interface NamespacedAppArgs {
    readonly app: AppSpec;
    readonly provider: k8s.Provider;
    /** Creates the app's IRSA role (the cluster's helper). */
    readonly irsa: Pick<Cluster, "createIrsaRole">;
    /** The grant behind each data-access kind the app may declare. */
    readonly dataAccess: Readonly<Record<DataAccess, DataAccessGrant>>;
    /** Catalog apps this one calls and is called by. @default none */
    readonly peers?: AppPeers;
    /** VPC range: an app behind a load balancer accepts traffic from it, and it is an internal app's default source. */
    readonly vpcCidr: string;
    /** Region for the AWS SDK: pods cannot reach instance metadata to discover it. */
    readonly region: string;
}

export class NamespacedApp extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly serviceName: string;
    /** The IRSA role, when the app declares data access. */
    public readonly role: aws.iam.Role | undefined;
    /** DNS name of the app's load balancer (the Service's status, once the NLB exists); undefined for a cluster app. */
    public readonly loadBalancerHostname: pulumi.Output<string> | undefined;

    constructor(name: string, args: NamespacedAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:apps:NamespacedApp", name, {}, opts);

        const app = resolveApp(args.app, args.vpcCidr);
        this.validate(app, args.region);
        const peers = args.peers ?? NO_PEERS;
        const child = { parent: this, provider: args.provider };

        const guarded = new GuardedNamespace(`${name}-ns`, {
            provider: args.provider,
            namespace: app.namespace,
            podSecurity: "restricted",
            quota: quotaFor(app),
            containerDefaults: app.resources,
            labels: { "app.kubernetes.io/part-of": "iot-platform" },
        }, { parent: this });
        const namespace = guarded.namespaceName;

        this.role = app.dataAccess.length === 0 ? undefined : args.irsa.createIrsaRole(`${name}-irsa`, {
            namespace: app.namespace,
            serviceAccount: app.name,
            inlinePolicies: Object.fromEntries(app.dataAccess.map((kind) => [kind, args.dataAccess[kind].policyJson])),
        }, { parent: this });
        const env: Record<string, pulumi.Input<string>> = { AWS_REGION: args.region };
        for (const kind of app.dataAccess) {
            Object.assign(env, args.dataAccess[kind].env);
        }

        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, serviceAccountManifest(app, namespace, this.role?.arn), child);
        // After the whole guarded namespace, not just the Namespace: while a new ResourceQuota has no
        // status yet, the API server rejects pods ("status unknown for quota") and the rollout stalls
        // in ReplicaSet backoff. After the service account, so the IRSA webhook sees its annotation.
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, deploymentManifest(app, namespace, env), { ...child, dependsOn: [guarded, serviceAccount] });
        const service = new k8s.core.v1.Service(`${name}-service`, serviceManifest(app, namespace), child);
        // The provider waits for a LoadBalancer Service's ingress address before it reports it created.
        this.loadBalancerHostname = app.exposure === "cluster" ? undefined : service.status.apply((status) => {
            const ingress = status?.loadBalancer?.ingress?.[0];
            const address = ingress?.hostname ?? ingress?.ip;
            if (!address) {
                throw new Error(`app ${app.name}: the load balancer of Service ${app.namespace}/${app.name} has no address yet`);
            }
            return address;
        });
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, horizontalPodAutoscalerManifest(app, namespace), { ...child, dependsOn: [deployment] });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, podDisruptionBudgetManifest(app, namespace), child);
        new k8s.apiextensions.CustomResource(`${name}-servicemonitor`, serviceMonitorManifest(app, namespace), child);
        new k8s.networking.v1.NetworkPolicy(`${name}-ingress`, ingressPolicyManifest(app, namespace, peers.callers, args.vpcCidr), child);
        const egress = egressPolicyManifest(app, namespace, peers.callees);
        if (egress) {
            new k8s.networking.v1.NetworkPolicy(`${name}-egress`, egress, child);
        }

        this.namespace = namespace;
        this.serviceName = app.name;
        this.registerOutputs({ namespace: this.namespace, serviceName: this.serviceName, labels: appLabels(app) });
    }

    /** The config loader checks the same rules with key names; this guards direct use of the component. */
    private validate(app: ResolvedApp, region: string): void {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(`app ${app.name}: ${message}`, this);
        };
        for (const [what, value] of [["name", app.name], ["namespace", app.namespace]] as const) {
            if (!DNS_LABEL.test(value) || value.length > 63) {
                fail(`${what} must be a DNS label, got "${value}"`);
            }
        }
        if ((RESERVED_NAMESPACES as readonly string[]).includes(app.namespace)) {
            fail(`namespace "${app.namespace}" is reserved (${RESERVED_NAMESPACES.join(", ")})`);
        }
        const pin = imagePinProblem(app.image);
        if (pin) {
            fail(`image ${pin}`);
        }
        if (!(Number.isInteger(app.replicas.min) && app.replicas.min >= 2 && app.replicas.max >= app.replicas.min)) {
            fail(`replicas need 2 <= min <= max, got min ${app.replicas.min}, max ${app.replicas.max}`);
        }
        if (app.resources.memoryLimitMiB < app.resources.memoryMiB) {
            fail(`resources.memoryLimitMiB (${app.resources.memoryLimitMiB}) is below memoryMiB (${app.resources.memoryMiB})`);
        }
        if (app.probes.livenessPath === app.probes.readinessPath) {
            fail(`liveness and readiness probes must use different paths, both are "${app.probes.livenessPath}"`);
        }
        if (!(EXPOSURES as readonly string[]).includes(app.exposure)) {
            fail(`unknown exposure "${app.exposure}"; allowed: ${EXPOSURES.join(", ")}`);
        }
        if (app.exposure !== "internal" && app.allowedSourceCidrs.length > 0) {
            fail(`allowedSourceCidrs applies only to exposure internal, not ${app.exposure}`);
        }
        if (app.exposure === "internal" && app.allowedSourceCidrs.length === 0) {
            // The controller reads no source ranges as 0.0.0.0/0.
            fail("allowedSourceCidrs must not be empty for an internal app");
        }
        for (const cidr of app.allowedSourceCidrs) {
            const problem = sourceCidrProblem(cidr);
            if (problem) {
                fail(`allowedSourceCidrs "${cidr}" ${problem}`);
            }
        }
        if (app.exposure === "public" && app.tls === undefined) {
            fail("tls is required for exposure public: the internet-facing load balancer must not serve plain HTTP");
        }
        if (app.exposure === "cluster" && app.tls !== undefined) {
            fail("tls applies only to exposure internal or public: a cluster app has no load balancer");
        }
        if (app.tls !== undefined) {
            const problem = certificateArnProblem(app.tls.certificateArn) ?? certificateRegionProblem(app.tls.certificateArn, region);
            if (problem) {
                fail(`tls.certificateArn "${app.tls.certificateArn}" ${problem}`);
            }
        }
        const unknown = app.dataAccess.filter((kind) => !(DATA_ACCESS as readonly string[]).includes(kind));
        if (unknown.length > 0) {
            fail(`unknown dataAccess ${unknown.join(", ")}; allowed: ${DATA_ACCESS.join(", ")}`);
        }
    }
}
