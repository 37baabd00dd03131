import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GuardedNamespace } from "../apps/GuardedNamespace";
import { Cluster } from "../cluster/Cluster";
import { canaryPolicy } from "../data/policies";
import {
    CANARY_INTERVALS,
    CANARY_NAME,
    CANARY_NAMESPACE,
    CANARY_RESOURCES,
    canaryCronJobManifest,
    canaryEgressPolicy,
    canaryLabels,
    canaryScript,
    CanaryTiming,
} from "./manifests";

/**
 * Proves end to end that telemetry reaches the lake: a CronJob in its own guarded namespace puts a
 * tagged record on the stream every interval and fails unless a canary sent within the delivery
 * deadline has arrived in S3. kube-state-metrics reports the CronJob's last successful run, which
 * the DataPathCanaryMissing rule watches (docs/incident-response.md explains the choice).
 */
export interface DataPathCanaryArgs {
    readonly provider: k8s.Provider;
    readonly irsa: Pick<Cluster, "createIrsaRole">;
    readonly timing: CanaryTiming;
    /** Written into each canary record, so a lake shared by stacks still tells them apart. */
    readonly environment: string;
    readonly region: string;
    readonly streamName: pulumi.Input<string>;
    readonly streamArn: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    /** KMS key of the stream and the lake. */
    readonly keyArn: pulumi.Input<string>;
    /** Where Firehose writes records, ending with a slash. */
    readonly prefix: string;
    /** @default CANARY_NAMESPACE ("canary"), which the DataPathCanaryMissing rule watches */
    readonly namespace?: string;
}

export class DataPathCanary extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly cronJobName: string;

    constructor(name: string, args: DataPathCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:canary:DataPathCanary", name, {}, opts);
        const namespaceName = args.namespace ?? CANARY_NAMESPACE;
        this.validate(args);
        const child = { parent: this, provider: args.provider };

        const guarded = new GuardedNamespace(`${name}-ns`, {
            provider: args.provider,
            namespace: namespaceName,
            podSecurity: "restricted",
            // One run at a time (concurrencyPolicy Forbid), plus the finished pods kept as history.
            quota: { cpuMillis: CANARY_RESOURCES.cpuMillis * 2, memoryMiB: CANARY_RESOURCES.memoryMiB * 2, memoryLimitMiB: CANARY_RESOURCES.memoryLimitMiB * 2, pods: 5 },
            containerDefaults: CANARY_RESOURCES,
            labels: { "app.kubernetes.io/part-of": "iot-platform" },
        }, { parent: this });
        const namespace = guarded.namespaceName;

        const role = args.irsa.createIrsaRole(`${name}-irsa`, {
            namespace: namespaceName,
            serviceAccount: CANARY_NAME,
            inlinePolicies: {
                canary: pulumi.all([args.streamArn, args.keyArn, args.bucketArn])
                    .apply(([stream, key, bucket]) => JSON.stringify(canaryPolicy(stream, key, bucket, args.prefix, args.region))),
            },
        }, { parent: this });
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: { name: CANARY_NAME, namespace, labels: canaryLabels(), annotations: { "eks.amazonaws.com/role-arn": role.arn } },
            automountServiceAccountToken: false,
        }, child);
        const script = new k8s.core.v1.ConfigMap(`${name}-script`, {
            metadata: { name: `${CANARY_NAME}-script`, namespace, labels: canaryLabels() },
            data: { "canary.sh": canaryScript() },
        }, child);
        const egress = new k8s.networking.v1.NetworkPolicy(`${name}-egress`, canaryEgressPolicy(namespace), child);
        // Pods admitted before the quota has a status, or without the egress rule, would fail their first run.
        new k8s.batch.v1.CronJob(`${name}-cronjob`, canaryCronJobManifest({
            namespace,
            timing: args.timing,
            environment: args.environment,
            region: args.region,
            streamName: args.streamName,
            bucketName: args.bucketName,
            prefix: args.prefix,
            scriptConfigMap: script.metadata.name,
        }), { ...child, dependsOn: [guarded, serviceAccount, egress] });

        this.namespace = namespace;
        this.cronJobName = CANARY_NAME;
        this.registerOutputs({ namespace: this.namespace, cronJobName: this.cronJobName });
    }

    private validate(args: DataPathCanaryArgs): void {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(message, this);
        };
        if (!(CANARY_INTERVALS as readonly number[]).includes(args.timing.intervalMinutes)) {
            fail(`timing.intervalMinutes must be one of ${CANARY_INTERVALS.join(", ")} (divides the hour), got ${args.timing.intervalMinutes}`);
        }
        if (!(Number.isInteger(args.timing.marginMinutes) && args.timing.marginMinutes >= 1)) {
            fail(`timing.marginMinutes must be a whole number of at least 1, got ${args.timing.marginMinutes}`);
        }
        if (!args.prefix.endsWith("/")) {
            fail(`prefix must end with a slash, got "${args.prefix}"`);
        }
    }
}
