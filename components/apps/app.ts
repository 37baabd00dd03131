/**
 * The contract of one application on the shared cluster: what a catalog entry declares. Plain data
 * and plain functions, no Pulumi; the stack config validates entries into this shape.
 */
import { parseCidr } from "../network/cidr";

/** What an app may do on the data path; each kind maps to one least-privilege IAM document. */
export const DATA_ACCESS = ["produceStream", "readStream", "readLake"] as const;
export type DataAccess = (typeof DATA_ACCESS)[number];

/**
 * Who can reach the app's Service. `cluster`: a ClusterIP, in-cluster callers only. `internal`: an
 * internal NLB in the private subnets, for networks routed into the VPC (site VPN, Direct Connect,
 * Transit Gateway). `public`: an internet-facing NLB in the public subnets.
 */
export const EXPOSURES = ["cluster", "internal", "public"] as const;
export type Exposure = (typeof EXPOSURES)[number];

/** An image pinned to a tag, a digest, or both; never `latest` and never untagged. */
export interface ImageRef {
    /** Registry and path without tag, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/device-gateway`. */
    readonly repository: string;
    readonly tag?: string;
    /** `sha256:<64 hex>`; wins over the tag at pull time when both are given. */
    readonly digest?: string;
    /**
     * CPU architectures the image is published for (`amd64`, `arm64`). The config check refuses an
     * image that lacks the nodes' architecture and warns when it is unknown on arm64 nodes. @default unknown
     */
    readonly architectures?: readonly ("amd64" | "arm64")[];
}

/**
 * TLS on the app's load balancer: the NLB terminates it with an ACM certificate and forwards plain
 * TCP to the node port, so the pods keep serving HTTP on their container port.
 */
export interface AppTls {
    /** `arn:aws:acm:<region>:<account>:certificate/<uuid>`, in the stack's region (an NLB uses ACM certificates of its own region only). */
    readonly certificateArn: string;
}

/** Per-container requests and the memory limit. No CPU limit: CFS throttling hurts latency more than a noisy neighbour does, and requests already guarantee each app its share. */
export interface ContainerResources {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
    /** Hard ceiling; the container is OOM-killed (and restarted) above it. */
    readonly memoryLimitMiB: number;
}

export interface ReplicaRange {
    /** At least 2, so one pod can be disrupted while the other serves. */
    readonly min: number;
    readonly max: number;
}

export interface AppSpec {
    /** DNS label; names the Deployment, Service and service account. */
    readonly name: string;
    /** The app's own namespace; no two apps share one. */
    readonly namespace: string;
    readonly image: ImageRef;
    /** Container port serving HTTP, health and metrics. */
    readonly port: number;
    /** Who can reach the Service (see EXPOSURES). @default "cluster" */
    readonly exposure?: Exposure;
    /**
     * IPv4 networks an `internal` app's load balancer admits (the device sites); only for `internal`.
     * @default [the VPC CIDR] for an internal app, [] otherwise
     */
    readonly allowedSourceCidrs?: readonly string[];
    /** TLS on the load balancer; required for `public`, optional for `internal`, not for `cluster`. @default none */
    readonly tls?: AppTls;
    /** Data path permissions granted through IRSA. @default [] */
    readonly dataAccess?: readonly DataAccess[];
    /** Names of catalog apps allowed to call this one. @default [] */
    readonly allowFrom?: readonly string[];
    readonly replicas: ReplicaRange;
    readonly resources: ContainerResources;
    /** HPA targets, percent of the requests. @default { cpuPercent: 70, memoryPercent: 80 } */
    readonly autoscaling?: { readonly cpuPercent: number; readonly memoryPercent: number };
    /** @default { livenessPath: "/healthz", readinessPath: "/readyz" } */
    readonly probes?: { readonly livenessPath: string; readonly readinessPath: string };
    /** @default "/metrics" */
    readonly metricsPath?: string;
    /** Longest request the app serves; shutdown waits this long for in-flight requests. @default 30 */
    readonly requestTimeoutSeconds?: number;
    /** Writable scratch space at /tmp (the root filesystem is read-only); 0 for none. @default 0 */
    readonly scratchMiB?: number;
}

/** Every default applied; `tls` stays optional because it has no default (an app without it listens on plain TCP). */
export type ResolvedApp = Required<Omit<AppSpec, "tls">> & { readonly tls: AppTls | undefined };

export const APP_DEFAULTS = {
    exposure: "cluster" as Exposure,
    dataAccess: [] as readonly DataAccess[],
    allowFrom: [] as readonly string[],
    autoscaling: { cpuPercent: 70, memoryPercent: 80 },
    probes: { livenessPath: "/healthz", readinessPath: "/readyz" },
    metricsPath: "/metrics",
    requestTimeoutSeconds: 30,
    scratchMiB: 0,
} as const;

/**
 * The one place app defaults are applied. `vpcCidr` is the default source of an internal load
 * balancer: without a declared device network, only the VPC may connect.
 */
export function resolveApp(app: AppSpec, vpcCidr: string): ResolvedApp {
    const exposure = app.exposure ?? APP_DEFAULTS.exposure;
    return {
        ...app,
        exposure,
        allowedSourceCidrs: app.allowedSourceCidrs ?? (exposure === "internal" ? [vpcCidr] : []),
        tls: app.tls,
        dataAccess: app.dataAccess ?? APP_DEFAULTS.dataAccess,
        allowFrom: app.allowFrom ?? APP_DEFAULTS.allowFrom,
        autoscaling: app.autoscaling ?? APP_DEFAULTS.autoscaling,
        probes: app.probes ?? APP_DEFAULTS.probes,
        metricsPath: app.metricsPath ?? APP_DEFAULTS.metricsPath,
        requestTimeoutSeconds: app.requestTimeoutSeconds ?? APP_DEFAULTS.requestTimeoutSeconds,
        scratchMiB: app.scratchMiB ?? APP_DEFAULTS.scratchMiB,
    };
}

export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Registry host (optional port) and path, lowercase, no tag or digest. */
export const IMAGE_REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Namespaces owned by Kubernetes, EKS or the platform; an app may not move in. */
export const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "monitoring"] as const;

/** Why an image reference is not pinned, or undefined when it is. */
export function imagePinProblem(image: ImageRef): string | undefined {
    if (image.tag === undefined && image.digest === undefined) {
        return "needs a tag or a digest: an untagged image pulls whatever `latest` is today";
    }
    if (image.tag !== undefined && image.tag.toLowerCase() === "latest") {
        return "must not use the tag `latest`: pin a release tag or a digest";
    }
    return undefined;
}

/**
 * Why `cidr` cannot be a source of an internal load balancer, or undefined when it can. `0.0.0.0/0`
 * is refused: it would admit every network routed into the VPC, which is what the list exists to
 * narrow.
 */
export function sourceCidrProblem(cidr: string): string | undefined {
    const parsed = parseCidr(cidr);
    if (parsed === undefined) {
        return "must be an IPv4 CIDR like 10.0.0.0/16 with no host bits set";
    }
    if (parsed.prefix === 0) {
        return "must not be 0.0.0.0/0: list the device networks";
    }
    return undefined;
}

/**
 * An ACM certificate ARN: partition (aws, aws-cn, aws-us-gov, ...), region (captured), 12-digit
 * account and the certificate's UUID.
 */
export const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Why `arn` is not an ACM certificate ARN, or undefined when it is. ACM only: the legacy controller
 * would also pass an IAM server certificate to the listener, but ACM certificates renew themselves.
 */
export function certificateArnProblem(arn: string): string | undefined {
    const service = /^arn:[^:]+:([^:]*):/.exec(arn)?.[1];
    if (service !== undefined && service !== "acm") {
        return `must be an ACM certificate ARN (service acm), not one of ${service}: request or import the certificate in ACM`;
    }
    if (!ACM_CERTIFICATE_ARN.test(arn)) {
        return "must be an ACM certificate ARN like arn:aws:acm:<region>:<12-digit account>:certificate/<uuid>";
    }
    return undefined;
}

/**
 * Why the certificate at `arn` (a valid ACM ARN) cannot serve a load balancer in `region`, or
 * undefined when it can: a load balancer uses ACM certificates of its own region only.
 */
export function certificateRegionProblem(arn: string, region: string): string | undefined {
    const certificateRegion = ACM_CERTIFICATE_ARN.exec(arn)?.[1];
    if (certificateRegion === undefined || certificateRegion === region) {
        return undefined;
    }
    return `is in ${certificateRegion}, but the load balancer can only use an ACM certificate of its own region, aws:region ${region}`;
}

/** `repo:tag`, `repo@digest` or `repo:tag@digest`. */
export function imageReference(image: ImageRef): string {
    const problem = imagePinProblem(image);
    if (problem) {
        throw new Error(`image ${image.repository} ${problem}`);
    }
    return `${image.repository}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}
