import * as assert from "assert";
import { StackResource } from "../../policy/lib/graph";
import { s3AccessLoggingPolicy, s3BucketBaselinePolicy } from "../../policy/security/s3";
import { messages, patched, platformStack, PROD_SHAPE, res, runStackPolicy, TLS_ONLY_POLICY, UNKNOWN } from "./util";

const S = {
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ver: "aws:s3/bucketVersioning:BucketVersioning",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    pol: "aws:s3/bucketPolicy:BucketPolicy",
};
const without = (stack: StackResource[], type: string) => stack.filter(r => r.type !== type);

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
        const unknown = base.map(r => Object.values(S).includes(r.type) ? { ...r, props: { ...r.props, bucket: UNKNOWN } } : r);
        const lonely = { ...unknown.find(r => r.type === S.sse)!, parent: "urn:elsewhere" };
        // Same parent as the bucket: correlated and checked; otherwise: unresolved and skipped.
        assert.deepStrictEqual(runStackPolicy(policy, unknown), []);
        assert.deepStrictEqual(runStackPolicy(policy, [...without(unknown, S.sse), lonely]), []);
        const bad = patched(unknown, S.ver, "data-lake", p => { p.versioningConfiguration.status = "Suspended"; });
        assert.strictEqual(runStackPolicy(policy, bad).length, 1);
    });
});

describe("s3-access-logging (advisory)", () => {
    const policy = s3AccessLoggingPolicy();
    it("flags a bucket without access logging", () => {
        assert.deepStrictEqual(messages(runStackPolicy(policy, platformStack(PROD_SHAPE))), [
            "S3 bucket 'data-lake' has no server access logging; add a BucketLogging resource targeting the log bucket.",
        ]);
    });
    it("passes a bucket with a BucketLogging resource and exempts the log bucket", () => {
        const stack = [...platformStack(PROD_SHAPE), res("aws:s3/bucket:Bucket", "logs", { bucket: "logs" }),
            res("aws:s3/bucketLogging:BucketLogging", "lake-logging", { bucket: "lake", targetBucket: "logs", targetPrefix: "lake/" })];
        assert.deepStrictEqual(runStackPolicy(policy, stack), []);
    });
});
