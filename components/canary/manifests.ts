/**
 * The data-path canary's Kubernetes objects and numbers, as plain functions: tests render them,
 * the rules and the cost model read the same numbers.
 */
import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ContainerResources } from "../apps/app";
import { APP_USER_ID, AWS_API_EGRESS, RESTRICTED_CONTAINER_SECURITY } from "../apps/workloadManifests";

/**
 * The AWS CLI's own image, pinned to a release tag of aws/aws-cli (2.36.7, docker/Dockerfile at that
 * tag: amazonlinux:2023 with jq and findutils added). Public, no registry credentials needed.
 */
export const CANARY_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.36.7";

/** Runs the canary may take the interval to, in minutes: `*\/n` must divide the hour evenly. */
export const CANARY_INTERVALS = [5, 10, 15, 20, 30] as const;

export const CANARY_NAME = "data-path-canary";
/** The canary's own guarded namespace. */
export const CANARY_NAMESPACE = "canary";

/**
 * One short run: small requests. The limit leaves room for the CLI and for jq holding one line of a
 * decompressed object: records without newlines make an object one line of up to
 * data.delivery.bufferingSizeMb (128 MiB at most), so 128 MiB for the CLI plus twice that.
 */
export const CANARY_RESOURCES: ContainerResources = { cpuMillis: 50, memoryMiB: 128, memoryLimitMiB: 384 };

export interface CanaryTiming {
    /** One of CANARY_INTERVALS. */
    readonly intervalMinutes: number;
    /** Firehose's buffer interval: a record may wait this long before it is written. */
    readonly bufferingIntervalSeconds: number;
    /** Extra delay tolerated beyond the buffer interval before a record counts as late. */
    readonly marginMinutes: number;
}

/** Seconds after which a record must be in the lake: the buffer interval plus the margin. */
export function deliveryDeadlineSeconds(t: CanaryTiming): number {
    return t.bufferingIntervalSeconds + t.marginMinutes * 60;
}

/**
 * A run succeeds when the newest delivered canary is at most this old: canaries go out once per
 * interval, so the newest one that must have arrived by now was sent at most one interval before
 * the delivery deadline.
 */
export function maxCanaryAgeSeconds(t: CanaryTiming): number {
    return deliveryDeadlineSeconds(t) + t.intervalMinutes * 60;
}

/** How far back a run lists objects: a canary old enough to count was delivered within this window. */
export function lookbackSeconds(t: CanaryTiming): number {
    return maxCanaryAgeSeconds(t);
}

/**
 * How long without a successful run before DataPathCanaryMissing fires: two missed or failed runs
 * (one can be a node drain), plus five minutes for a run to finish.
 */
export function missingAfterSeconds(t: Pick<CanaryTiming, "intervalMinutes">): number {
    return 2 * t.intervalMinutes * 60 + 300;
}

/** What the DataPathCanaryMissing rule watches. */
export function canaryWatch(t: Pick<CanaryTiming, "intervalMinutes">) {
    return { namespace: CANARY_NAMESPACE, cronJob: CANARY_NAME, missingAfterSeconds: missingAfterSeconds(t) };
}

export function cronSchedule(intervalMinutes: number): string {
    return `*/${intervalMinutes} * * * *`;
}

/** Runs a month (730 hours, as the cost model counts). */
export function runsPerMonth(intervalMinutes: number, hoursPerMonth = 730): number {
    return (hoursPerMonth * 60) / intervalMinutes;
}

/**
 * What the canary uses a month, priced by the cost model (policy/cost.ts) from the CronJob's
 * `iot.platform/monthly-usage` annotation: one Kinesis record and one Firehose record per run, one
 * S3 LIST per hour partition in the look-back window and, in the usual case, up to three GETs
 * until an object with a canary is found.
 */
export function canaryMonthlyUsage(t: CanaryTiming) {
    const runs = runsPerMonth(t.intervalMinutes);
    const partitions = Math.ceil(lookbackSeconds(t) / 3600) + 1;
    return { kinesisRecords: runs, firehoseRecords: runs, s3ListRequests: runs * partitions, s3GetRequests: runs * 3 };
}

/** The annotation the cost model reads. */
export const MONTHLY_USAGE_ANNOTATION = "iot.platform/monthly-usage";

export function canaryScript(): string {
    return fs.readFileSync(path.join(__dirname, "canary.sh"), "utf8");
}

export function canaryLabels(): Record<string, string> {
    return { "app.kubernetes.io/name": CANARY_NAME, "app.kubernetes.io/part-of": "iot-platform", "app.kubernetes.io/managed-by": "pulumi" };
}

export interface CanaryJobInputs {
    readonly namespace: pulumi.Input<string>;
    readonly timing: CanaryTiming;
    readonly environment: string;
    readonly region: string;
    readonly streamName: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    /** Where Firehose writes records in the lake, ending with a slash. */
    readonly prefix: string;
    /** ConfigMap holding canary.sh. */
    readonly scriptConfigMap: pulumi.Input<string>;
}

export function canaryCronJobManifest(i: CanaryJobInputs): k8s.batch.v1.CronJobArgs {
    const intervalSeconds = i.timing.intervalMinutes * 60;
    const env: Record<string, pulumi.Input<string>> = {
        AWS_REGION: i.region,
        BUCKET: i.bucketName,
        ENVIRONMENT: i.environment,
        HOME: "/tmp",
        LOOKBACK_SECONDS: String(lookbackSeconds(i.timing)),
        MAX_AGE_SECONDS: String(maxCanaryAgeSeconds(i.timing)),
        PREFIX: i.prefix,
        STREAM_NAME: i.streamName,
    };
    return {
        metadata: {
            name: CANARY_NAME,
            namespace: i.namespace,
            labels: canaryLabels(),
            annotations: { [MONTHLY_USAGE_ANNOTATION]: JSON.stringify(canaryMonthlyUsage(i.timing)) },
        },
        spec: {
            schedule: cronSchedule(i.timing.intervalMinutes),
            timeZone: "Etc/UTC",
            // One run at a time; a run that could not start within half an interval is skipped, and
            // the next one reports the gap.
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: intervalSeconds / 2,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
                metadata: { labels: canaryLabels() },
                spec: {
                    // A failed run is the signal, not something to retry: the next run sends a new canary.
                    backoffLimit: 0,
                    activeDeadlineSeconds: intervalSeconds - 60,
                    template: {
                        metadata: { labels: canaryLabels() },
                        spec: {
                            serviceAccountName: CANARY_NAME,
                            // The IRSA webhook projects its own token; the Kubernetes API is never called.
                            automountServiceAccountToken: false,
                            restartPolicy: "Never",
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: APP_USER_ID,
                                runAsGroup: APP_USER_ID,
                                fsGroup: APP_USER_ID,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            containers: [{
                                name: "canary",
                                image: CANARY_IMAGE,
                                imagePullPolicy: "IfNotPresent",
                                command: ["/bin/bash", "/canary/canary.sh"],
                                env: Object.keys(env).sort().map((name) => ({ name, value: env[name] })),
                                resources: {
                                    requests: { cpu: `${CANARY_RESOURCES.cpuMillis}m`, memory: `${CANARY_RESOURCES.memoryMiB}Mi` },
                                    limits: { memory: `${CANARY_RESOURCES.memoryLimitMiB}Mi` },
                                },
                                securityContext: RESTRICTED_CONTAINER_SECURITY,
                                volumeMounts: [
                                    { name: "script", mountPath: "/canary", readOnly: true },
                                    // The CLI writes its caches under $HOME; the root filesystem is read-only.
                                    { name: "tmp", mountPath: "/tmp" },
                                ],
                            }],
                            volumes: [
                                { name: "script", configMap: { name: i.scriptConfigMap, defaultMode: 0o444 } },
                                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                            ],
                        },
                    },
                },
            },
        },
    };
}

/** AWS APIs only (STS for IRSA, Kinesis through NAT, S3 through the gateway endpoint): HTTPS to public addresses. */
export function canaryEgressPolicy(namespace: pulumi.Input<string>): k8s.networking.v1.NetworkPolicyArgs {
    return {
        metadata: { name: `${CANARY_NAME}-egress`, namespace, labels: canaryLabels() },
        spec: {
            podSelector: { matchLabels: { "app.kubernetes.io/name": CANARY_NAME } },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: AWS_API_EGRESS.cidr, except: [...AWS_API_EGRESS.except] } }], ports: [{ protocol: "TCP", port: AWS_API_EGRESS.port }] }],
        },
    };
}
