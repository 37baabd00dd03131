import * as assert from "assert";
import { StackResource } from "../../policy/lib/graph";
import { s3AccessLoggingPolicy, s3BucketBaselinePolicy } from "../../policy/security/s3";
import { messages, patched, platformStack, PROD_SHAPE, res, runStackPolicy, TLS_ONLY_POLICY, UNKNOWN } from "./util";

const S = {
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ver: "aws:s3/bucketVersioning:BucketVersioning",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    pol: "aws:s3/bucketPolicy:BucketPolicy",
    log: "aws:s3/bucketLogging:BucketLogging",
};
/** `stack` without the resource of `type` named `name` (the lake's parts are named "data-lake", the log bucket's "data-access-logs"). */
const without = (stack: StackResource[], type: string, name = "data-lake") => stack.filter(r => r.type !== type || r.name !== name);
const LOGS = "data-access-logs";

describe("s3-bucket-baseline", () => {
    const policy = s3BucketBaselinePolicy();
    const base = platformStack(PROD_SHAPE);

    it("passes encryption, versioning, public access block and TLS policy as separate resources", () => {
        assert.deepStrictEqual(runStackPolicy(policy, base), []);
    });

    it("passes the inline forms on the bucket (v7 object form and V2 list form)", () => {
        const inline = res("aws:s3/bucket:Bucket", "b", {
            bucket: "b", serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } },
            versioning: { enabled: true }, policy: JSON.stringify(TLS_ONLY_POLICY),
        });
        const v2 = res("aws:s3/bucketV2:BucketV2", "b2", {
            bucket: "b2", serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] }],
            versionings: [{ enabled: true }],
        });
        const pab = (bucket: string) => res(S.pab, `${bucket}-pab`, { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        const v2Policy = res(S.pol, "b2-policy", { bucket: "b2", policy: TLS_ONLY_POLICY });
        assert.deepStrictEqual(runStackPolicy(policy, [inline, pab("b"), v2, pab("b2"), v2Policy]), []);
    });

    it("passes the deprecated V2 sub-resource types", () => {
        const stack = base.map(r => r.type === S.sse ? { ...r, type: `${S.sse.replace("Configuration:", "ConfigurationV2:")}V2` }
            : r.type === S.ver ? { ...r, type: "aws:s3/bucketVersioningV2:BucketVersioningV2" } : r);
        assert.deepStrictEqual(runStackPolicy(policy, stack), []);
    });

    it("fails SSE-S3 and missing encryption", () => {
        const aes = patched(base, S.sse, "data-lake", p => { p.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "AES256"; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, aes)), ['S3 bucket \'data-lake\' default encryption is "AES256"; it must be SSE-KMS ("aws:kms").']);
        assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.sse))), ['S3 bucket \'data-lake\' has no SSE-KMS default encryption (found "none"); add a BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms".']);
    });

    it("fails suspended and missing versioning", () => {
        const suspended = patched(base, S.ver, "data-lake", p => { p.versioningConfiguration.status = "Suspended"; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, suspended)), ['S3 bucket \'data-lake\' versioning status is "Suspended"; it must be "Enabled".']);
        assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.ver))), ['S3 bucket \'data-lake\' does not enable versioning; add a BucketVersioning with status "Enabled".']);
    });

    it("fails a public access block setting that is off, or no block at all", () => {
        const off = patched(base, S.pab, "data-lake", p => { p.restrictPublicBuckets = false; });
        assert.deepStrictEqual(messages(runStackPolicy(policy, off)), ["S3 bucket 'data-lake' public access block 'data-lake' does not set restrictPublicBuckets to true."]);
        assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.pab))), ["S3 bucket 'data-lake' has no BucketPublicAccessBlock; all four public access block settings must be true."]);
    });

    it("fails a bucket policy without the TLS deny", () => {
        const allow = patched(base, S.pol, "data-lake", p => { p.policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] }); });
        assert.deepStrictEqual(messages(runStackPolicy(policy, allow)), ['S3 bucket \'data-lake\' has no bucket policy statement denying requests with aws:SecureTransport "false"; require TLS.']);
    });

    it("does not fail when the sub-resources' bucket is unknown in preview", () => {
        // The lake alone under its component, parts without recorded dependencies: the sibling fallback places them.
        const lakeOnly = base.filter(r => r.name !== LOGS && r.type !== S.log);
        const unknown = lakeOnly.map(r => Object.values(S).includes(r.type) ? { ...r, props: { ...r.props, bucket: UNKNOWN } } : r);
        const lonely = { ...unknown.find(r => r.type === S.sse)!, parent: "urn:elsewhere" };
        // Same parent as the bucket: correlated and checked; otherwise: unresolved and skipped.
        assert.deepStrictEqual(runStackPolicy(policy, unknown), []);
        assert.deepStrictEqual(runStackPolicy(policy, [...without(unknown, S.sse), lonely]), []);
        const bad = patched(unknown, S.ver, "data-lake", p => { p.versioningConfiguration.status = "Suspended"; });
        assert.strictEqual(runStackPolicy(policy, bad).length, 1);
    });

    it("skips, rather than guesses, parts of two sibling buckets whose bucket is unknown and has no recorded dependency", () => {
        const unknown = base.map(r => Object.values(S).includes(r.type) ? { ...r, props: { ...r.props, bucket: UNKNOWN, targetBucket: r.type === S.log ? UNKNOWN : undefined } } : r);
        const bad = patched(unknown, S.sse, "data-lake", p => { p.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "AES256"; });
        assert.deepStrictEqual(runStackPolicy(policy, bad), []);
    });

    describe("server access log target", () => {
        const aesOnLake = (stack: StackResource[]) => patched(stack, S.sse, "data-lake", p => { p.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "AES256"; });

        it("passes SSE-S3 on the bucket a BucketLogging writes to, and still SSE-KMS", () => {
            assert.deepStrictEqual(runStackPolicy(policy, base), []);
            const kms = patched(base, S.sse, LOGS, p => { p.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "aws:kms" }; });
            assert.deepStrictEqual(runStackPolicy(policy, kms), []);
        });

        it("fails the same bucket with the SSE-KMS message once nothing logs to it", () => {
            assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.log))), [
                'S3 bucket \'data-access-logs\' default encryption is "AES256"; it must be SSE-KMS ("aws:kms").',
            ]);
        });

        it("does not exempt the bucket that is logged, only the target", () => {
            assert.deepStrictEqual(messages(runStackPolicy(policy, aesOnLake(base))), [
                'S3 bucket \'data-lake\' default encryption is "AES256"; it must be SSE-KMS ("aws:kms").',
            ]);
        });

        it("exempts the target of inline logging on a bucket", () => {
            const inline = patched(without(base, S.log), "aws:s3/bucket:Bucket", "data-lake", p => { p.logging = { targetBucket: "lake-logs", targetPrefix: "lake/" }; });
            assert.deepStrictEqual(runStackPolicy(policy, inline), []);
        });

        it("fails a log target with other encryption, or none", () => {
            const dsse = patched(base, S.sse, LOGS, p => { p.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "none"; });
            assert.deepStrictEqual(messages(runStackPolicy(policy, dsse)), [
                'S3 bucket \'data-access-logs\' default encryption is "none"; as a server access log target it must be SSE-S3 ("AES256") or SSE-KMS ("aws:kms").',
            ]);
            assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.sse, LOGS))), [
                'S3 bucket \'data-access-logs\' has no default encryption (found "none"); as a server access log target add a BucketServerSideEncryptionConfiguration with sseAlgorithm "AES256".',
            ]);
        });

        it("keeps every other requirement for a log target: versioning, public access block, TLS-only policy", () => {
            const suspended = patched(base, S.ver, LOGS, p => { p.versioningConfiguration.status = "Suspended"; });
            assert.deepStrictEqual(messages(runStackPolicy(policy, suspended)), ['S3 bucket \'data-access-logs\' versioning status is "Suspended"; it must be "Enabled".']);
            assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.ver, LOGS))), ['S3 bucket \'data-access-logs\' does not enable versioning; add a BucketVersioning with status "Enabled".']);
            assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.pab, LOGS))), ["S3 bucket 'data-access-logs' has no BucketPublicAccessBlock; all four public access block settings must be true."]);
            const open = patched(base, S.pab, LOGS, p => { p.blockPublicPolicy = false; });
            assert.deepStrictEqual(messages(runStackPolicy(policy, open)), ["S3 bucket 'data-access-logs' public access block 'data-access-logs' does not set blockPublicPolicy to true."]);
            const grantOnly = patched(base, S.pol, LOGS, p => { p.policy = JSON.stringify({ ...JSON.parse(p.policy), Statement: JSON.parse(p.policy).Statement.filter((st: any) => st.Effect === "Allow") }); });
            assert.deepStrictEqual(messages(runStackPolicy(policy, grantOnly)), ['S3 bucket \'data-access-logs\' has no bucket policy statement denying requests with aws:SecureTransport "false"; require TLS.']);
        });

        describe("in a real preview (bucket names and ids unknown, property dependencies recorded)", () => {
            const preview = platformStack({ ...PROD_SHAPE, realPreview: "first" });

            it("resolves the target through the BucketLogging's dependency: SSE-S3 passes on it, fails without it", () => {
                assert.deepStrictEqual(runStackPolicy(policy, preview), []);
                assert.deepStrictEqual(messages(runStackPolicy(policy, without(preview, S.log))), [
                    'S3 bucket \'data-access-logs\' default encryption is "AES256"; it must be SSE-KMS ("aws:kms").',
                ]);
                assert.deepStrictEqual(messages(runStackPolicy(policy, aesOnLake(preview))), [
                    'S3 bucket \'data-lake\' default encryption is "AES256"; it must be SSE-KMS ("aws:kms").',
                ]);
            });

            it("still fails a log target's missing versioning or public access block", () => {
                assert.deepStrictEqual(messages(runStackPolicy(policy, without(preview, S.ver, LOGS))), ['S3 bucket \'data-access-logs\' does not enable versioning; add a BucketVersioning with status "Enabled".']);
                assert.deepStrictEqual(messages(runStackPolicy(policy, without(preview, S.pab, LOGS))), ["S3 bucket 'data-access-logs' has no BucketPublicAccessBlock; all four public access block settings must be true."]);
            });

            it("accepts SSE-S3 while a logging target cannot be identified at all, and still fails other algorithms", () => {
                const opaque = preview.map(r => r.type === S.log ? { ...r, propertyDependencies: { ...r.propertyDependencies, targetBucket: [] } } : r);
                assert.deepStrictEqual(runStackPolicy(policy, opaque), []);
                const bad = patched(opaque, S.sse, LOGS, p => { p.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "none"; });
                assert.deepStrictEqual(messages(runStackPolicy(policy, bad)), ['S3 bucket \'data-access-logs\' default encryption is "none"; it must be SSE-KMS ("aws:kms").']);
            });
        });
    });
});

describe("s3-access-logging (advisory)", () => {
    const policy = s3AccessLoggingPolicy();
    const base = platformStack(PROD_SHAPE);

    it("passes the lake logging to its access-log bucket, and exempts that bucket", () => {
        assert.deepStrictEqual(runStackPolicy(policy, base), []);
        assert.deepStrictEqual(runStackPolicy(policy, platformStack({ ...PROD_SHAPE, realPreview: "first" })), []);
    });

    it("flags every bucket once nothing logs (the former target is no longer exempt)", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, without(base, S.log))), [
            "S3 bucket 'data-lake' has no server access logging; add a BucketLogging resource targeting the log bucket.",
            "S3 bucket 'data-access-logs' has no server access logging; add a BucketLogging resource targeting the log bucket.",
        ]);
    });

    it("skips while a logging target cannot be identified in preview", () => {
        const opaque = platformStack({ ...PROD_SHAPE, realPreview: "first" }).map(r => r.type === S.log ? { ...r, propertyDependencies: { ...r.propertyDependencies, targetBucket: [] } } : r);
        assert.deepStrictEqual(runStackPolicy(policy, opaque), []);
    });

    it("passes inline logging and exempts its target", () => {
        const inline = patched(without(base, S.log), "aws:s3/bucket:Bucket", "data-lake", p => { p.logging = { targetBucket: "lake-logs" }; });
        assert.deepStrictEqual(runStackPolicy(policy, inline), []);
        const extra = [...base, res("aws:s3/bucket:Bucket", "other", { bucket: "other", id: "other", logging: { targetBucket: "lake-logs" } })];
        assert.deepStrictEqual(runStackPolicy(policy, extra), []);
    });
});
