import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import {
    CANARY_IMAGE,
    canaryMonthlyUsage,
    canaryScript,
    cronSchedule,
    maxCanaryAgeSeconds,
    missingAfterSeconds,
    MONTHLY_USAGE_ANNOTATION,
} from "../../components/canary/manifests";
import { TELEMETRY_PREFIX } from "../../components/data/DataPipeline";
import { RecordedResource } from "../../tools/mockProgram";
import { ofType, one, PROJECT_DIR, runStack } from "../util";

const PROD_TIMING = { intervalMinutes: 10, marginMinutes: 10, bufferingIntervalSeconds: 300 };

describe("data-path canary", () => {
    describe("timing", () => {
        it("checks that records older than the buffer interval plus the margin (plus one interval of sending) have arrived", () => {
            assert.equal(maxCanaryAgeSeconds(PROD_TIMING), 300 + 600 + 600);
            assert.equal(missingAfterSeconds(PROD_TIMING), 2 * 600 + 300);
            assert.equal(cronSchedule(10), "*/10 * * * *");
        });

        it("declares its monthly usage: one record per run, a LIST per hour partition looked at, three GETs", () => {
            assert.deepEqual(canaryMonthlyUsage(PROD_TIMING), { kinesisRecords: 4380, firehoseRecords: 4380, s3ListRequests: 4380 * 2, s3GetRequests: 4380 * 3 });
        });
    });

    for (const stack of ["prod", "staging"]) {
        describe(`in ${stack}`, () => {
            let resources: RecordedResource[];
            before(async () => {
                resources = (await runStack(stack)).resources;
            });

            it("runs a CronJob of the pinned AWS CLI image every interval in a restricted, guarded namespace", () => {
                const cronJob = one(resources, "kubernetes:batch/v1:CronJob", "-canary-cronjob").inputs;
                assert.equal(cronJob.metadata.namespace, "canary");
                assert.equal(cronJob.spec.schedule, "*/10 * * * *");
                assert.equal(cronJob.spec.concurrencyPolicy, "Forbid");
                assert.equal(cronJob.spec.jobTemplate.spec.backoffLimit, 0);
                const pod = cronJob.spec.jobTemplate.spec.template.spec;
                assert.equal(pod.containers[0].image, CANARY_IMAGE);
                assert.match(CANARY_IMAGE, /^public\.ecr\.aws\/aws-cli\/aws-cli:\d+\.\d+\.\d+$/);
                assert.equal(pod.serviceAccountName, "data-path-canary");
                assert.equal(pod.automountServiceAccountToken, false);
                const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
                assert.equal(env.PREFIX, TELEMETRY_PREFIX);
                assert.equal(env.MAX_AGE_SECONDS, "1500");
                assert.equal(env.STREAM_NAME, one(resources, "aws:kinesis/stream:Stream").outputs.name);
                const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "canary")!;
                assert.equal(namespace.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
                assert.ok(JSON.parse(cronJob.metadata.annotations[MONTHLY_USAGE_ANNOTATION]).kinesisRecords > 0);
            });

            it("ships canary.sh in a ConfigMap the job mounts", () => {
                const script = one(resources, "kubernetes:core/v1:ConfigMap", "-canary-script").inputs;
                assert.equal(script.data["canary.sh"], canaryScript());
            });

            it("has an IRSA role for exactly its service account, allowed to put to the stream and read the telemetry prefix only", () => {
                const stream = one(resources, "aws:kinesis/stream:Stream").outputs.arn;
                const bucket = one(resources, "aws:s3/bucket:Bucket", "-data-lake").outputs.arn;
                const key = one(resources, "aws:kms/key:Key", "-data-key").outputs.arn;
                const role = one(resources, "aws:iam/role:Role", "-canary-irsa");
                const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
                assert.deepEqual(Object.entries(trust).filter(([k]) => k.endsWith(":sub")).map(([, v]) => v), ["system:serviceaccount:canary:data-path-canary"]);
                const policy = JSON.parse(one(resources, "aws:iam/rolePolicy:RolePolicy", "-canary-irsa-canary").inputs.policy);
                const grants = policy.Statement.map((s: any) => [s.Action.join(","), s.Resource.join(","), JSON.stringify(s.Condition ?? {})]);
                assert.deepEqual(grants, [
                    ["kinesis:PutRecord", stream, "{}"],
                    ["kms:GenerateDataKey", key, "{}"],
                    ["s3:ListBucket", bucket, JSON.stringify({ StringLike: { "s3:prefix": ["telemetry/*"] } })],
                    ["s3:GetObject", `${bucket}/telemetry/*`, "{}"],
                    ["kms:Decrypt", key, JSON.stringify({ StringEquals: { "kms:ViaService": `s3.${stack === "prod" ? "us-east-1" : "us-east-2"}.amazonaws.com` } })],
                ]);
            });

            it("may only reach AWS APIs (HTTPS to public addresses) besides DNS", () => {
                const egress = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === "canary").map((p) => p.inputs.metadata.name).sort();
                assert.deepEqual(egress, ["allow-dns", "data-path-canary-egress", "default-deny"]);
            });
        });
    }
});

function has(tool: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** canary.sh run for real by bash, with jq and gzip, against a fake AWS CLI serving a lake from a directory. */
describe("canary.sh against a fake lake", function () {
    const NOW = Date.parse("2026-12-01T10:30:00Z") / 1000;
    const partition = (epoch: number) => {
        const d = new Date(epoch * 1000);
        const pad = (n: number) => String(n).padStart(2, "0");
        return `${TELEMETRY_PREFIX}year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}/hour=${pad(d.getUTCHours())}/`;
    };
    let lake: string;
    let bin: string;
    before(function () {
        if (!has("jq") || !has("gzip")) {
            this.skip();
        }
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "canary-bin-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "test", "canary", "fakeAws.js"), path.join(bin, "aws"));
        fs.chmodSync(path.join(bin, "aws"), 0o755);
    });
    beforeEach(() => {
        lake = fs.mkdtempSync(path.join(os.tmpdir(), "canary-lake-"));
    });
    afterEach(() => fs.rmSync(lake, { recursive: true, force: true }));
    after(() => bin && fs.rmSync(bin, { recursive: true, force: true }));

    /** An object Firehose delivered at `deliveredAt`, holding device records and the canaries sent at `canaries`. */
    function deliver(deliveredAt: number, canaries: number[]): void {
        const dir = path.join(lake, partition(deliveredAt));
        fs.mkdirSync(dir, { recursive: true });
        const stamp = new Date(deliveredAt * 1000).toISOString().slice(0, 19).replace(/[-T:]/g, "-");
        const file = path.join(dir, `iot-platform-prod-delivery-1-${stamp}-${deliveredAt}.gz`);
        const records = ['{"device":"d-1","t":21.5}', ...canaries.map((c) => `{"type":"iot-platform-canary","environment":"prod","iotPlatformCanarySentAt":${c}}\n`), '{"device":"d-2","t":19.0}'];
        fs.writeFileSync(file, zlib.gzipSync(records.join("")));
        fs.utimesSync(file, deliveredAt, deliveredAt);
    }

    function runCanary(env: Record<string, string> = {}) {
        return spawnSync("bash", [path.join(PROJECT_DIR, "components", "canary", "canary.sh")], {
            encoding: "utf8",
            env: {
                PATH: `${bin}:${process.env.PATH}`, FAKE_LAKE: lake, NOW: String(NOW),
                STREAM_NAME: "iot-platform-prod-data-telemetry", BUCKET: "lake", PREFIX: TELEMETRY_PREFIX, ENVIRONMENT: "prod",
                MAX_AGE_SECONDS: String(maxCanaryAgeSeconds(PROD_TIMING)), LOOKBACK_SECONDS: String(maxCanaryAgeSeconds(PROD_TIMING)), AWS_REGION: "us-east-1",
                ...env,
            },
        });
    }

    it("succeeds when the last canary reached the lake in time, and sends a new one tagged with the time", () => {
        deliver(NOW - 1200, [NOW - 1500]);
        deliver(NOW - 300, [NOW - 600]);
        deliver(NOW - 60, []);
        const run = runCanary();
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /newest delivered canary: iotPlatformCanarySentAt=\d+ .*\nOK: the newest delivered canary was sent 600s ago \(limit 1500s\)/);
        const puts = fs.readFileSync(path.join(lake, ".puts"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
        assert.deepEqual(puts.map((p) => p.stream), ["iot-platform-prod-data-telemetry"]);
        assert.deepEqual(JSON.parse(puts[0].data), { type: "iot-platform-canary", environment: "prod", iotPlatformCanarySentAt: NOW });
        assert.ok(puts[0].data.endsWith("}\n"), "the record ends its line");
    });

    it("finds a canary delivered in the previous hour's partition", () => {
        deliver(Date.parse("2026-12-01T09:58:00Z") / 1000, [Date.parse("2026-12-01T09:52:00Z") / 1000]);
        const run = runCanary({ NOW: String(Date.parse("2026-12-01T10:05:00Z") / 1000) });
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /in s3:\/\/lake\/telemetry\/year=2026\/month=12\/day=01\/hour=09\//);
    });

    it("fails when the newest delivered canary is too old: later ones are lost or late", () => {
        deliver(NOW - 1450, [NOW - 1700]);
        deliver(NOW - 120, []);
        const run = runCanary();
        assert.equal(run.status, 1);
        assert.match(run.stderr, /FAIL: the newest delivered canary was sent 1700s ago; records sent more than 1500s ago are lost or late/);
    });

    it("fails when nothing with a canary was delivered in the window", () => {
        deliver(NOW - 100, []);
        const run = runCanary();
        assert.equal(run.status, 1);
        assert.match(run.stderr, /FAIL: no canary in the 1 object\(s\) delivered since 2026-12-01T10:05:00Z/);
    });

    it("fails when AWS refuses the call, before claiming anything about the lake", () => {
        deliver(NOW - 300, [NOW - 600]);
        const run = runCanary({ FAKE_DENY: "1" });
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /AccessDenied/);
        assert.doesNotMatch(run.stdout, /OK:/);
    });
});
