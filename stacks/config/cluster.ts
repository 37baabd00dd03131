import { z } from "zod";
import { parseCidr } from "../../components/network/cidr";
import { daysUntil, eksSupportOn } from "../../policy/eksVersions";
import { formatUsd } from "../../policy/lib/money";
import { cidr, intBetween, oneOf, Problem, strictObject } from "./schema";

/**
 * Kubernetes versions this program is tested with. Whether EKS still supports one, and at which rate,
 * depends on the day: see `kubernetesVersionSupport`.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.33", "1.34", "1.35"] as const;

/** AWS announces the end of standard support at least this long before it (EKS user guide, version FAQ). */
export const STANDARD_SUPPORT_NOTICE_DAYS = 60;

/**
 * What the EKS calendar says of `version` on `today`: a problem once EKS no longer supports it (it
 * creates no cluster on it and upgrades existing control planes itself), a warning while it bills at
 * the extended-support rate or will within the notice period. `price` is the region's control-plane
 * price, for the cost of staying; undefined leaves the cost out.
 */
export function kubernetesVersionSupport(
    version: string, today: Date, price: { readonly hourly: { readonly standard: number; readonly extended: number }; readonly hoursPerMonth: number } | undefined,
): { problems: Problem[]; warnings: Problem[] } {
    const path = ["cluster", "kubernetesVersion"];
    const support = eksSupportOn(version, today);
    if (support.phase === "unknown" || !SUPPORTED_KUBERNETES_VERSIONS.includes(version as SupportedVersion)) {
        return { problems: [], warnings: [] };
    }
    const { standardSupportEnds, extendedSupportEnds } = support.dates;
    const usable = SUPPORTED_KUBERNETES_VERSIONS.filter((v) => eksSupportOn(v, today).phase !== "ended");
    const upgrade = "Upgrade one minor version at a time (docs/maintenance.md, \"Kubernetes version upgrades\")";
    if (support.phase === "ended") {
        return {
            problems: [{ path, message: `"${version}" is past EKS extended support since ${extendedSupportEnds}: EKS creates no cluster on it and upgrades existing control planes itself; use one of ${usable.join(", ")}. ${upgrade}` }],
            warnings: [],
        };
    }
    const extra = price === undefined ? "" : ` ($${price.hourly.extended.toFixed(2)} instead of $${price.hourly.standard.toFixed(2)} an hour, ` +
        `${formatUsd((price.hourly.extended - price.hourly.standard) * price.hoursPerMonth)} a month more)`;
    if (support.phase === "extended") {
        return {
            problems: [],
            warnings: [{ path, message: `"${version}" is in EKS extended support since ${standardSupportEnds}: the control plane bills at the extended-support rate${extra} until it is upgraded, and EKS upgrades it itself from ${extendedSupportEnds}. ${upgrade}` }],
        };
    }
    const days = daysUntil(standardSupportEnds, today);
    if (days > STANDARD_SUPPORT_NOTICE_DAYS) {
        return { problems: [], warnings: [] };
    }
    return {
        problems: [],
        warnings: [{ path, message: `"${version}" leaves EKS standard support on ${standardSupportEnds} (in ${days} day${days === 1 ? "" : "s"}): from then the control plane bills at the extended-support rate${extra}. ${upgrade}` }],
    };
}

type SupportedVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

/** No configuration may ask for more nodes than this, whatever the environment's policy allows. */
export const NODE_HARD_CEILING = 10;

/** `family.size`, e.g. m6i.large, c7gn.16xlarge, u-6tb1.metal. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

const nodesSchema = strictObject({
    instanceType: z.string().regex(INSTANCE_TYPE_PATTERN, {
        error: "must be an EC2 instance type like m6i.large (family, a dot, a size)",
    }),
    min: intBetween(1, NODE_HARD_CEILING),
    desired: intBetween(1, NODE_HARD_CEILING),
    max: intBetween(1, NODE_HARD_CEILING),
    diskSizeGb: intBetween(20, 1000).default(50),
}).superRefine((nodes, ctx) => {
    if (nodes.min > nodes.desired) {
        ctx.addIssue({ code: "custom", path: ["min"], message: `must not exceed desired (${nodes.desired})` });
    }
    if (nodes.desired > nodes.max) {
        ctx.addIssue({ code: "custom", path: ["desired"], message: `must not exceed max (${nodes.max})` });
    }
});

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const roleArn = z.string().regex(IAM_ROLE_ARN, { error: "must be an IAM role ARN like arn:aws:iam::123456789012:role/platform-admin" });

/**
 * The CI identities. Each gets an EKS access entry; none may be the identity that runs the first
 * `pulumi up`, since EKS already gave that one an entry as the cluster's creator and refuses a second
 * (ResourceInUseException).
 */
const accessSchema = strictObject({
    /** The role `pulumi up` runs as in CI (deploy workflow): cluster-admin. */
    deployRoleArn: roleArn.optional(),
    /** The role pull-request previews run as: read-only on everything, Secrets included. */
    previewRoleArn: roleArn.optional(),
});

/** In-VPC deployers (self-hosted runners) that reach the private endpoint on 443. */
const apiIngressSchema = strictObject({
    cidrs: z.array(cidr.refine((v) => parseCidr(v)?.prefix !== 0, { error: "must not be 0.0.0.0/0" })).max(20, { error: "must list at most 20 ranges" }).default([]),
    securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: "must be a security group id like sg-0123456789abcdef0" })).max(20, { error: "must list at most 20 groups" }).default([]),
});

export const clusterSchema = strictObject({
    kubernetesVersion: oneOf(SUPPORTED_KUBERNETES_VERSIONS),
    /**
     * Networks allowed to reach the public API endpoint. Empty turns the public endpoint off;
     * the private endpoint is always on.
     */
    publicAccessCidrs: z
        .array(cidr.refine((v) => parseCidr(v)?.prefix !== 0, { error: "must not be 0.0.0.0/0: the API would be open to the internet" }))
        .max(40, { error: "EKS accepts at most 40 public access CIDRs" }),
    /**
     * IAM roles (people's SSO roles, break-glass) that get cluster-admin through an EKS access
     * entry. The identity that creates the cluster (the first `pulumi up`) is admin anyway and must
     * not be listed: EKS gave it an entry already and refuses a second.
     */
    adminRoleArns: z
        .array(roleArn)
        .max(20, { error: "must list at most 20 roles" })
        .refine((arns) => new Set(arns).size === arns.length, { error: "must not repeat a role" })
        .default([]),
    access: accessSchema.prefault({}),
    apiIngress: apiIngressSchema.prefault({}),
    /** Kubernetes Service range; must not overlap the VPC. */
    serviceCidr: cidr.default("172.20.0.0/16"),
    nodes: nodesSchema,
}).superRefine((cluster, ctx) => {
    const roles: [string, string | undefined][] = [
        ...cluster.adminRoleArns.map((arn, i): [string, string] => [`adminRoleArns.${i}`, arn]),
        ["access.deployRoleArn", cluster.access.deployRoleArn],
        ["access.previewRoleArn", cluster.access.previewRoleArn],
    ];
    const seen = new Map<string, string>();
    for (const [key, arn] of roles) {
        if (arn === undefined) {
            continue;
        }
        const first = seen.get(arn);
        // Repeats inside adminRoleArns are that key's own error.
        if (first !== undefined && key.startsWith("access.")) {
            ctx.addIssue({ code: "custom", path: key.split("."), message: `is the same role as ${first}; EKS allows one access entry per role` });
        } else if (first === undefined) {
            seen.set(arn, key);
        }
    }
});
