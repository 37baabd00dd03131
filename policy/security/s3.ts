// S3 buckets and the separate resources that configure them (aws v7 split the bucket's settings
// into sub-resources; the deprecated V2 aliases and the inline forms are accepted too).
import { StackValidationPolicy } from "@pulumi/policy";
import { fromPolicyResources, StackGraph, StackResource } from "../lib/graph";
import { at, isRecord, isUnknown, listAt, parseJsonDocument, UNKNOWN, Unknown } from "../lib/values";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

export const BUCKET_PART_TYPES = {
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
} as const;
export type BucketPart = keyof typeof BUCKET_PART_TYPES;

export interface BucketView {
    bucket: StackResource;
    parts: Record<BucketPart, StackResource[]>;
}

export interface BucketCorrelation {
    buckets: BucketView[];
    /** Part kinds with at least one resource whose bucket could not be identified yet (preview). */
    unresolved: Set<BucketPart>;
}

/**
 * Attaches each configuration resource to its bucket through its `bucket` input (the bucket's name/id),
 * or, when that is unknown in preview, through the recorded dependency or the only bucket under the same
 * parent component. Parts that still cannot be placed make "missing part" checks of that kind skip.
 */
export function correlateBuckets(graph: StackGraph): BucketCorrelation {
    const buckets: BucketView[] = graph.ofType(...BUCKET_TYPES).map(bucket => ({
        bucket,
        parts: { encryption: [], versioning: [], publicAccessBlock: [], policy: [], logging: [] },
    }));
    const unresolved = new Set<BucketPart>();
    for (const kind of Object.keys(BUCKET_PART_TYPES) as BucketPart[]) {
        for (const part of graph.ofType(...BUCKET_PART_TYPES[kind])) {
            let target = graph.resolve(at(part.props, "bucket"), BUCKET_TYPES, part, "bucket");
            if (target === UNKNOWN) {
                const siblings = buckets.filter(b => part.parent !== undefined && b.bucket.parent === part.parent);
                target = siblings.length === 1 ? siblings[0].bucket : UNKNOWN;
            }
            if (target === UNKNOWN) {
                unresolved.add(kind);
            } else if (target !== undefined) {
                buckets.find(b => b.bucket.urn === (target as StackResource).urn)?.parts[kind].push(part);
            }
        }
    }
    return { buckets, unresolved };
}

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** SSE algorithm set inline on the bucket (v7 object form or V2 list form). */
function inlineSseAlgorithm(bucket: StackResource): unknown {
    const cfg = at(bucket.props, "serverSideEncryptionConfiguration") ?? first(at(bucket.props, "serverSideEncryptionConfigurations"));
    const rule = at(cfg, "rule") ?? first(at(cfg, "rules"));
    const byDefault = at(rule, "applyServerSideEncryptionByDefault") ?? first(at(rule, "applyServerSideEncryptionByDefaults"));
    return at(byDefault, "sseAlgorithm");
}

function inlineVersioning(bucket: StackResource): unknown {
    return at(bucket.props, "versioning", "enabled") ?? at(first(at(bucket.props, "versionings")), "enabled");
}

export function inlineLoggingTarget(bucket: StackResource): unknown {
    return at(bucket.props, "logging", "targetBucket") ?? at(first(at(bucket.props, "loggings")), "targetBucket");
}

export interface LogTargets {
    /** URNs of the stack's buckets that receive server access logs. */
    urns: Set<string>;
    /** True when some logging configuration's target could not be identified yet (preview). */
    unresolved: boolean;
}

/**
 * The buckets that receive server access logs: targets of BucketLogging resources and of inline
 * logging, matched by their known name/id or, when that is unknown in preview, through the property's
 * recorded dependency. Targets outside the stack are ignored.
 */
export function logTargetBuckets(graph: StackGraph): LogTargets {
    const urns = new Set<string>();
    let unresolved = false;
    const add = (target: StackResource | Unknown | undefined) => {
        if (target === UNKNOWN) {
            unresolved = true;
        } else if (target !== undefined) {
            urns.add(target.urn);
        }
    };
    for (const logging of graph.ofType(...BUCKET_PART_TYPES.logging)) {
        add(graph.resolve(at(logging.props, "targetBucket"), BUCKET_TYPES, logging, "targetBucket"));
    }
    for (const bucket of graph.ofType(...BUCKET_TYPES)) {
        const target = inlineLoggingTarget(bucket);
        if (target !== undefined) {
            add(graph.resolve(target, BUCKET_TYPES, bucket, at(bucket.props, "logging") !== undefined ? "logging" : "loggings"));
        }
    }
    return { urns, unresolved };
}

/** Whether `bucket` receives server access logs; UNKNOWN while some target is not identified yet. */
export function isLogTarget(bucket: StackResource, targets: LogTargets): boolean | Unknown {
    return targets.urns.has(bucket.urn) ? true : targets.unresolved ? UNKNOWN : false;
}

const isKms = (alg: unknown) => alg === "aws:kms" || alg === "aws:kms:dsse";

/** True when a statement denies any request made without TLS. */
export function deniesInsecureTransport(policy: unknown): boolean | Unknown {
    const doc = parseJsonDocument(policy);
    if (doc === UNKNOWN) {
        return UNKNOWN;
    }
    const statements = doc ? [doc["Statement"]].flat() : [];
    return statements.some(s => {
        if (!isRecord(s) || s["Effect"] !== "Deny") {
            return false;
        }
        const v = at(s, "Condition", "Bool", "aws:SecureTransport");
        return [v].flat().some(x => x === "false" || x === false);
    });
}

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/**
 * Violations for one bucket; checks whose inputs are unknown or unresolved are skipped.
 * `logTarget`: whether the bucket receives server access logs. The S3 User Guide supports only SSE-S3
 * default encryption on such a target (enable-server-access-logging.html), so "AES256" is accepted there
 * besides SSE-KMS, and also while that is still unknown; every other requirement applies unchanged.
 */
export function bucketViolations(view: BucketView, unresolved: ReadonlySet<BucketPart>, logTarget: boolean | Unknown): string[] {
    const b = view.bucket;
    const out: string[] = [];
    const n = `S3 bucket '${b.name}'`;

    const separateSse = view.parts.encryption.map(p => at(first(listAt(p.props, "rules")), "applyServerSideEncryptionByDefault", "sseAlgorithm"));
    const inlineSse = inlineSseAlgorithm(b);
    const acceptable = (alg: unknown) => isKms(alg) || (alg === "AES256" && logTarget !== false);
    if (![inlineSse, ...separateSse].some(isUnknown)) {
        const badSeparate = separateSse.filter(a => !acceptable(a));
        const found = (algs: unknown[]) => algs.map(a => JSON.stringify(a ?? "unset")).join(", ");
        if (badSeparate.length > 0) {
            out.push(logTarget === true
                ? `${n} default encryption is ${found(badSeparate)}; as a server access log target it must be SSE-S3 ("AES256") or SSE-KMS ("aws:kms").`
                : `${n} default encryption is ${found(badSeparate)}; it must be SSE-KMS ("aws:kms").`);
        } else if (separateSse.length === 0 && !acceptable(inlineSse) && !unresolved.has("encryption")) {
            out.push(logTarget === true
                ? `${n} has no default encryption (found ${JSON.stringify(inlineSse ?? "none")}); as a server access log target add a BucketServerSideEncryptionConfiguration with sseAlgorithm "AES256".`
                : `${n} has no SSE-KMS default encryption (found ${JSON.stringify(inlineSse ?? "none")}); add a BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms".`);
        }
    }

    const separateVersioning = view.parts.versioning.map(p => at(p.props, "versioningConfiguration", "status"));
    const inlineVer = inlineVersioning(b);
    if (![inlineVer, ...separateVersioning].some(isUnknown)) {
        const bad = separateVersioning.filter(s => s !== "Enabled");
        if (bad.length > 0) {
            out.push(`${n} versioning status is ${bad.map(s => JSON.stringify(s ?? "unset")).join(", ")}; it must be "Enabled".`);
        } else if (separateVersioning.length === 0 && inlineVer !== true && !unresolved.has("versioning")) {
            out.push(`${n} does not enable versioning; add a BucketVersioning with status "Enabled".`);
        }
    }

    if (view.parts.publicAccessBlock.length === 0) {
        if (!unresolved.has("publicAccessBlock")) {
            out.push(`${n} has no BucketPublicAccessBlock; all four public access block settings must be true.`);
        }
    } else {
        for (const pab of view.parts.publicAccessBlock) {
            const off = PAB_FLAGS.filter(f => {
                const v = at(pab.props, f);
                return !isUnknown(v) && v !== true;
            });
            if (off.length > 0) {
                out.push(`${n} public access block '${pab.name}' does not set ${off.join(", ")} to true.`);
            }
        }
    }

    const policies = [...view.parts.policy.map(p => at(p.props, "policy")), at(b.props, "policy")].filter(p => p !== undefined);
    const tls = policies.map(deniesInsecureTransport);
    if (!tls.includes(UNKNOWN) && !tls.includes(true) && !unresolved.has("policy")) {
        out.push(`${n} has no bucket policy statement denying requests with aws:SecureTransport "false"; require TLS.`);
    }
    return out;
}

export function s3BucketBaselinePolicy(): StackValidationPolicy {
    return {
        name: "s3-bucket-baseline",
        description: "S3 buckets: SSE-KMS default encryption (SSE-S3 allowed on server access log targets), versioning Enabled, all four public access block settings, and a TLS-only bucket policy (inline or separate resources).",
        enforcementLevel: "mandatory",
        validateStack: (args, reportViolation) => {
            const graph = new StackGraph(fromPolicyResources(args.resources));
            const { buckets, unresolved } = correlateBuckets(graph);
            const targets = logTargetBuckets(graph);
            for (const view of buckets) {
                for (const message of bucketViolations(view, unresolved, isLogTarget(view.bucket, targets))) {
                    reportViolation(message, view.bucket.urn);
                }
            }
        },
    };
}

export function s3AccessLoggingPolicy(): StackValidationPolicy {
    return {
        name: "s3-access-logging",
        description: "S3 buckets write server access logs (inline logging or a BucketLogging resource). Buckets that receive access logs are exempt.",
        enforcementLevel: "advisory",
        validateStack: (args, reportViolation) => {
            const graph = new StackGraph(fromPolicyResources(args.resources));
            const { buckets, unresolved } = correlateBuckets(graph);
            const targets = logTargetBuckets(graph);
            if (targets.unresolved) {
                return;
            }
            for (const view of buckets) {
                const b = view.bucket;
                if (targets.urns.has(b.urn) || view.parts.logging.length > 0 || inlineLoggingTarget(b) !== undefined || unresolved.has("logging")) {
                    continue;
                }
                reportViolation(`S3 bucket '${b.name}' has no server access logging; add a BucketLogging resource targeting the log bucket.`, b.urn);
            }
        },
    };
}
