/** The application catalog (`iot-platform:apps`): one entry per service on the shared cluster. */
import { z } from "zod";
import {
    APP_DEFAULTS,
    certificateArnProblem,
    certificateRegionProblem,
    DATA_ACCESS,
    DNS_LABEL,
    EXPOSURES,
    IMAGE_DIGEST,
    IMAGE_REPOSITORY,
    IMAGE_TAG,
    ImageRef,
    RESERVED_NAMESPACES,
    sourceCidrProblem,
} from "../../components/apps/app";
import {
    allocatablePerNode, CLUSTER_SERVICES_PODS, CLUSTER_SERVICES_RESERVE, DAEMONSET_PODS_PER_NODE, fitCatalog, podSlotsPerNode,
} from "../../components/apps/capacity";
import { Architecture, INSTANCE_CATALOGUE, instanceType, maxPods } from "../../policy/instances";
import { intBetween, oneOf, Problem, Salvaged, strictObject } from "./schema";

/** OCI image platform architectures, as `docker manifest inspect` names them. */
export const IMAGE_ARCHITECTURES = ["amd64", "arm64"] as const satisfies readonly NonNullable<ImageRef["architectures"]>[number][];
type ImageArchitecture = (typeof IMAGE_ARCHITECTURES)[number];

/** The image architecture a node of this EC2 architecture runs. */
const IMAGE_ARCHITECTURE_OF: Readonly<Record<Architecture, ImageArchitecture>> = { x86_64: "amd64", arm64: "arm64" };

const dnsLabel = z.string().max(63, { error: "must be at most 63 characters" }).regex(DNS_LABEL, {
    error: "must be a DNS label: lowercase letters, digits and dashes, starting with a letter",
});

const httpPath = z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, { error: "must be an HTTP path starting with /" });

const imageSchema = strictObject({
    repository: z.string().regex(IMAGE_REPOSITORY, {
        error: "must be a lowercase registry path without tag or digest, like 123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/device-gateway (put the tag in image.tag)",
    }),
    tag: z
        .string()
        .regex(IMAGE_TAG, { error: "must be an image tag: letters, digits, '.', '_' or '-', at most 128" })
        .refine((tag) => tag.toLowerCase() !== "latest", { error: "must not be `latest`: pin a release tag or a digest" })
        .optional(),
    digest: z.string().regex(IMAGE_DIGEST, { error: "must be sha256:<64 lowercase hex digits>" }).optional(),
    /** CPU architectures the image is published for (OCI platform names); unknown when absent. */
    architectures: z
        .array(oneOf(IMAGE_ARCHITECTURES))
        .min(1, { error: "must list at least one architecture; leave the key out if unknown" })
        .refine((archs) => new Set(archs).size === archs.length, { error: "must not repeat an architecture" })
        .optional(),
}).superRefine((image, ctx) => {
    if (image.tag === undefined && image.digest === undefined) {
        ctx.addIssue({ code: "custom", path: ["tag"], message: "needs a tag or a digest: an untagged image pulls whatever `latest` is today" });
    }
});

const replicasSchema = strictObject({
    min: intBetween(2, 50),
    max: intBetween(2, 100),
}).superRefine((replicas, ctx) => {
    if (replicas.max < replicas.min) {
        ctx.addIssue({ code: "custom", path: ["max"], message: `must be at least replicas.min (${replicas.min})` });
    }
});

const resourcesSchema = strictObject({
    cpuMillis: intBetween(10, 16000),
    memoryMiB: intBetween(16, 65536),
    memoryLimitMiB: intBetween(16, 65536),
}).superRefine((resources, ctx) => {
    if (resources.memoryLimitMiB < resources.memoryMiB) {
        ctx.addIssue({ code: "custom", path: ["memoryLimitMiB"], message: `must be at least memoryMiB (${resources.memoryMiB})` });
    }
});

const probesSchema = strictObject({
    livenessPath: httpPath,
    readinessPath: httpPath,
}).superRefine((probes, ctx) => {
    if (probes.livenessPath === probes.readinessPath) {
        ctx.addIssue({ code: "custom", path: ["readinessPath"], message: "must differ from livenessPath: an overloaded pod should leave the load balancer, not be restarted" });
    }
});

const sourceCidr = z.string().superRefine((cidr, ctx) => {
    const problem = sourceCidrProblem(cidr);
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
    }
});

const tlsSchema = strictObject({
    // The region must equal aws:region, which this schema cannot see: `appsCertificateRegionProblems` checks it.
    certificateArn: z.string().superRefine((arn, ctx) => {
        const problem = certificateArnProblem(arn);
        if (problem) {
            ctx.addIssue({ code: "custom", message: problem });
        }
    }),
});

const appSchema = strictObject({
    name: dnsLabel,
    namespace: dnsLabel.refine((ns) => !(RESERVED_NAMESPACES as readonly string[]).includes(ns), {
        error: `must not be one of ${RESERVED_NAMESPACES.join(", ")}`,
    }),
    image: imageSchema,
    port: intBetween(1024, 65535),
    exposure: oneOf(EXPOSURES).optional(),
    allowedSourceCidrs: z
        .array(sourceCidr)
        // Empty would leave the load balancer without source ranges, which the controller reads as 0.0.0.0/0.
        .min(1, { error: "must list at least one network; leave the key out for the VPC range only" })
        .refine((cidrs) => new Set(cidrs).size === cidrs.length, { error: "must not repeat a network" })
        .optional(),
    tls: tlsSchema.optional(),
    dataAccess: z
        .array(oneOf(DATA_ACCESS))
        .refine((kinds) => new Set(kinds).size === kinds.length, { error: "must not repeat a kind" })
        .optional(),
    allowFrom: z.array(dnsLabel).optional(),
    replicas: replicasSchema,
    resources: resourcesSchema,
    autoscaling: strictObject({ cpuPercent: intBetween(10, 100), memoryPercent: intBetween(10, 100) }).optional(),
    probes: probesSchema.optional(),
    metricsPath: httpPath.optional(),
    requestTimeoutSeconds: intBetween(1, 3600).optional(),
    scratchMiB: intBetween(0, 20480).optional(),
}).superRefine((app, ctx) => {
    if (app.allowedSourceCidrs !== undefined && app.exposure !== "internal") {
        ctx.addIssue({
            code: "custom",
            path: ["allowedSourceCidrs"],
            message: app.exposure === "public"
                ? "applies only to exposure internal: a public app's load balancer is open to the internet"
                : "applies only to exposure internal: a cluster app has no load balancer",
        });
    }
    if (app.exposure === "public" && app.tls === undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["tls"],
            message: "required for exposure public: the internet-facing load balancer must not serve plain HTTP; set tls.certificateArn to an ACM certificate of aws:region",
        });
    }
    if ((app.exposure ?? APP_DEFAULTS.exposure) === "cluster" && app.tls !== undefined) {
        ctx.addIssue({ code: "custom", path: ["tls"], message: "applies only to exposure internal or public: a cluster app has no load balancer" });
    }
});

/**
 * The catalog as a list. Rules across entries (unique names and namespaces, `allowFrom` naming a
 * catalog app) are in `appsCatalogProblems`, so they still run when one entry has a typo.
 */
export const appsSchema = z.array(appSchema, { error: "must be a list of apps (docs/applications.md, \"The app entry\")" }).min(1, { error: "must list at least one app" });

export type AppsConfig = z.infer<typeof appsSchema>;

type SalvagedApps = Salvaged<AppsConfig> | undefined;

/** Unique names and namespaces, and `allowFrom` entries naming another app of the catalog. */
export function appsCatalogProblems(apps: SalvagedApps): Problem[] {
    const problems: Problem[] = [];
    const entries = apps ?? [];
    const firstName = new Map<string, number>();
    const firstNamespace = new Map<string, number>();
    entries.forEach((app, i) => {
        if (app?.name !== undefined) {
            const first = firstName.get(app.name);
            if (first !== undefined) {
                problems.push({ path: ["apps", i, "name"], message: `duplicate app name "${app.name}" (also apps.${first}.name)` });
            } else {
                firstName.set(app.name, i);
            }
        }
        if (app?.namespace !== undefined) {
            const first = firstNamespace.get(app.namespace);
            if (first !== undefined) {
                const owner = entries[first]?.name;
                problems.push({ path: ["apps", i, "namespace"], message: `namespace "${app.namespace}" is already used by ${owner === undefined ? `apps.${first}` : `apps[${owner}]`}; each app gets its own` });
            } else {
                firstNamespace.set(app.namespace, i);
            }
        }
    });
    // An entry whose name did not parse may be the one a caller means: only judge references when every name parsed.
    const allNamed = entries.every((app) => app?.name !== undefined);
    entries.forEach((app, i) => {
        (app?.allowFrom ?? []).forEach((caller, j) => {
            if (caller === undefined) {
                return;
            }
            if (caller === app?.name) {
                problems.push({ path: ["apps", i, "allowFrom", j], message: `must name another app; an app's own pods need no rule (got "${caller}")` });
            } else if (allNamed && !firstName.has(caller)) {
                problems.push({ path: ["apps", i, "allowFrom", j], message: `must name an app of the catalog: ${[...firstName.keys()].join(", ")} (got "${caller}")` });
            }
        });
    });
    return problems;
}

/** Certificates outside `region`: a load balancer can only use ACM certificates of its own region. */
export function appsCertificateRegionProblems(apps: SalvagedApps, region: string): Problem[] {
    return (apps ?? []).flatMap((app, i) => {
        const arn = app?.tls?.certificateArn;
        const problem = arn === undefined ? undefined : certificateRegionProblem(arn, region);
        return problem === undefined ? [] : [{ path: ["apps", i, "tls", "certificateArn"], message: `${problem} (got ${JSON.stringify(arn)})` }];
    });
}

/**
 * The catalog's worst case (every app at max replicas) against the node group at max size: CPU,
 * memory and pods.
 */
export function appsCapacityProblems(apps: AppsConfig, nodes: { readonly instanceType: string; readonly max: number }): Problem[] {
    const shape = instanceType(nodes.instanceType);
    if (shape === undefined) {
        return [unknownInstanceType(nodes.instanceType)];
    }
    const fit = fitCatalog(apps.map((app) => ({ name: app.name, maxReplicas: app.replicas.max, requests: app.resources })), shape, nodes.max);
    const over = fit.overflow;
    if (over === undefined) {
        return [];
    }
    const app = apps[over.index];
    if (over.resource === "pods") {
        return [{
            path: ["apps", over.index, "replicas", "max"],
            message: `${over.app} at ${app.replicas.max} replicas brings the catalog's worst case to ${over.needed} pods, ` +
                `over the ${over.room} pod slots the node group leaves for apps (${nodes.max} × ${nodes.instanceType} at ${maxPods(shape)} pods each ` +
                `(VPC CNI limit) minus ${DAEMONSET_PODS_PER_NODE} DaemonSet pods = ${podSlotsPerNode(shape)}, minus ${CLUSTER_SERVICES_PODS} cluster-service pods); ` +
                `lower replicas, or raise cluster.nodes.max or the instance type (got ${app.replicas.max})`,
        }];
    }
    const node = allocatablePerNode(shape);
    const perPod = over.resource === "cpu" ? `${app.resources.cpuMillis}m CPU` : `${app.resources.memoryMiB}Mi memory`;
    const perNode = over.resource === "cpu" ? `${node.cpuMillis}m` : `${node.memoryMiB}Mi`;
    const reserve = over.resource === "cpu" ? `${CLUSTER_SERVICES_RESERVE.cpuMillis}m` : `${CLUSTER_SERVICES_RESERVE.memoryMiB}Mi`;
    return [{
        path: ["apps", over.index, "replicas", "max"],
        message: `${over.app} at ${app.replicas.max} replicas × ${perPod} brings the catalog's worst case to ${over.needed}${over.unit} ${over.resource}, ` +
            `over the ${over.room}${over.unit} the node group leaves for apps (${nodes.max} × ${nodes.instanceType} at ${perNode} allocatable each, minus ${reserve} for cluster services); ` +
            `lower replicas or requests, or raise cluster.nodes.max or the instance type (got ${app.replicas.max})`,
    }];
}

function unknownInstanceType(type: string): Problem {
    return {
        path: ["cluster", "nodes", "instanceType"],
        message: `"${type}" is not in the instance catalogue (policy/instances.ts, ${INSTANCE_CATALOGUE.version}), ` +
            `so neither the app catalog's capacity nor the node price can be computed; known: ${Object.keys(INSTANCE_CATALOGUE.types).join(", ")}`,
    };
}

/**
 * Apps whose image is declared without the nodes' architecture cannot start on them (exec format
 * error). An unknown instance type is reported by appsCapacityProblems.
 */
export function appsArchitectureProblems(apps: AppsConfig, nodeInstanceType: string): Problem[] {
    const node = instanceType(nodeInstanceType);
    if (node === undefined) {
        return [];
    }
    const needed = IMAGE_ARCHITECTURE_OF[node.architecture];
    return apps.flatMap((app, i) => {
        const declared = app.image.architectures;
        return declared === undefined || declared.includes(needed) ? [] : [{
            path: ["apps", i, "image", "architectures"],
            message: `${app.name}'s image is published for ${declared.join(", ")} only, but cluster.nodes.instanceType ${nodeInstanceType} ` +
                `runs ${node.architecture} (${needed} images); publish an image for ${needed} or choose an instance type of that architecture (got ${JSON.stringify(declared)})`,
        }];
    });
}

/** Apps whose image architecture is not declared while the nodes are arm64: they may not start. */
export function appsArchitectureWarnings(apps: AppsConfig, nodeInstanceType: string): Problem[] {
    const node = instanceType(nodeInstanceType);
    if (node === undefined || node.architecture !== "arm64") {
        return [];
    }
    return apps.flatMap((app, i) => app.image.architectures !== undefined ? [] : [{
        path: ["apps", i, "image", "architectures"],
        message: `not declared for ${app.name}, and cluster.nodes.instanceType ${nodeInstanceType} is arm64; ` +
            "if the image has no arm64 variant its pods fail with exec format error. Declare [amd64, arm64] once the release pipeline publishes both",
    }]);
}
