import { strict as assert } from "assert";
import { irsaRoleNamePrefix, irsaTrustPolicy } from "../../components/cluster/irsa";
import { PolicyDocument, accessLogBucketPolicy, arnAccount, deliveryPolicy, lakeReaderPolicy, producerPolicy, streamReaderPolicy, tlsOnlyBucketPolicy } from "../../components/data/policies";

const STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/telemetry";
const BUCKET = "arn:aws:s3:::lake";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/abc";

function actions(doc: PolicyDocument): string[] {
    return doc.Statement.flatMap((s) => s.Action);
}

function resources(doc: PolicyDocument): string[] {
    return doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}

describe("data-path IAM documents", () => {
    const all = {
        producer: producerPolicy(STREAM, KEY),
        streamReader: streamReaderPolicy(STREAM, KEY),
        lakeReader: lakeReaderPolicy(BUCKET, KEY),
        delivery: deliveryPolicy(STREAM, BUCKET, KEY, "arn:aws:logs:us-east-1:123456789012:log-group:fh"),
    };

    for (const [name, doc] of Object.entries(all)) {
        it(`${name}: no wildcard action or resource`, () => {
            assert.ok(actions(doc).every((a) => !a.includes("*")), actions(doc).join());
            assert.ok(resources(doc).every((r) => r !== "*"), resources(doc).join());
        });
    }

    it("producer may only put records on the stream and encrypt with its key", () => {
        assert.deepEqual(actions(all.producer).filter((a) => a.startsWith("kinesis:Put")), ["kinesis:PutRecord", "kinesis:PutRecords"]);
        assert.ok(!actions(all.producer).some((a) => a === "kinesis:GetRecords"));
        assert.deepEqual(resources(all.producer), [STREAM, KEY]);
    });

    it("stream reader cannot write", () => {
        assert.ok(!actions(all.streamReader).some((a) => a.startsWith("kinesis:Put")));
        assert.ok(actions(all.streamReader).includes("kinesis:GetRecords"));
    });

    it("lake reader reads objects of this bucket only", () => {
        assert.deepEqual(resources(all.lakeReader), [BUCKET, `${BUCKET}/*`, KEY]);
        assert.ok(!actions(all.lakeReader).includes("s3:PutObject"));
    });

    it("the bucket policy denies every request without TLS", () => {
        const [statement] = tlsOnlyBucketPolicy(BUCKET).Statement;
        assert.equal(statement.Effect, "Deny");
        assert.deepEqual(statement.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepEqual(statement.Resource, [BUCKET, `${BUCKET}/*`]);
    });

    describe("access-log bucket policy", () => {
        const LOGS = "arn:aws:s3:::lake-logs";
        const doc = accessLogBucketPolicy(LOGS, "lake/", BUCKET, "123456789012");

        it("lets only S3's logging service put objects, under the prefix, for this source bucket and account", () => {
            const grant = doc.Statement.find((s) => s.Effect === "Allow")!;
            assert.deepEqual(grant.Principal, { Service: "logging.s3.amazonaws.com" });
            assert.deepEqual(grant.Action, ["s3:PutObject"]);
            assert.deepEqual(grant.Resource, [`${LOGS}/lake/*`]);
            assert.deepEqual(grant.Condition, { ArnLike: { "aws:SourceArn": BUCKET }, StringEquals: { "aws:SourceAccount": "123456789012" } });
        });

        it("also denies every request without TLS, in the same document", () => {
            assert.deepEqual(doc.Statement.filter((s) => s.Effect === "Deny"), tlsOnlyBucketPolicy(LOGS).Statement);
            assert.equal(doc.Statement.length, 2);
        });
    });

    it("reads the account from an ARN, refusing one without", () => {
        assert.equal(arnAccount(KEY), "123456789012");
        assert.throws(() => arnAccount(BUCKET), /names no 12-digit account/);
    });
});

describe("IRSA trust policy", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";

    it("binds exactly one service account with StringEquals on sub and aud", () => {
        const policy = irsaTrustPolicy(arn, "https://oidc.eks.us-east-1.amazonaws.com/id/ABC", "ingest", "device-gateway") as any;
        const [statement] = policy.Statement;
        assert.equal(statement.Principal.Federated, arn);
        assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepEqual(statement.Condition, {
            StringEquals: {
                "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ingest:device-gateway",
                "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            },
        });
    });

    it("refuses a wildcard service account", () => {
        assert.throws(() => irsaTrustPolicy(arn, "oidc", "ingest", "*"), /serviceAccount must be a Kubernetes DNS label.*got "\*"/);
    });

    it("refuses an invalid namespace", () => {
        assert.throws(() => irsaTrustPolicy(arn, "oidc", "Ingest", "sa"), /namespace must be a Kubernetes DNS label/);
    });
});

describe("IRSA role name prefix", () => {
    it("names cluster and service account when they fit", () => {
        assert.equal(irsaRoleNamePrefix("iot-platform-prod", "telemetry-api"), "iot-platform-prod-telemetry-api-");
    });

    it("cuts a long name to the 38 characters IAM accepts, without a double dash", () => {
        const prefix = irsaRoleNamePrefix("iot-platform-staging", "ebs-csi-controller-sa");
        assert.equal(prefix, "iot-platform-staging-ebs-csi-controll-");
        assert.equal(prefix.length, 38);
        assert.equal(irsaRoleNamePrefix("iot-platform-staging", "cluster-autoscaler"), "iot-platform-staging-cluster-autoscal-");
        assert.equal(irsaRoleNamePrefix("abcdefghijklmnopqrstuvwxyz-0123456789", "x"), "abcdefghijklmnopqrstuvwxyz-0123456789-");
    });
});
