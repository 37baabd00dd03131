import * as pulumi from "@pulumi/pulumi";
import { ClusterAutoscaler } from "../components/addons/ClusterAutoscaler";
import { MetricsServer } from "../components/addons/MetricsServer";
import { AppCatalog } from "../components/apps/AppCatalog";
import { DataPathCanary } from "../components/canary/DataPathCanary";
import { canaryWatch } from "../components/canary/manifests";
import { Cluster } from "../components/cluster/Cluster";
import { DataPipeline, TELEMETRY_PREFIX } from "../components/data/DataPipeline";
import { PagerDutyEscalation } from "../components/incident/PagerDutyEscalation";
import { DataPathAlarms } from "../components/monitoring/DataPathAlarms";
import { MONITORING_NAMESPACE } from "../components/apps/workloadManifests";
import { BlackboxProbes } from "../components/monitoring/BlackboxProbes";
import { Monitoring, RELEASE_NAME } from "../components/monitoring/Monitoring";
import { Network } from "../components/network/Network";
import { PlatformConfig } from "./config";

/** Physical names start with project and environment so two stacks never collide in one account. */
export function resourcePrefix(config: Pick<PlatformConfig, "project" | "environment">): string {
    return `${config.project}-${config.environment}`;
}

export interface Platform {
    readonly network: Network;
    readonly cluster: Cluster;
    readonly data: DataPipeline;
    readonly monitoring: Monitoring;
    readonly alarms: DataPathAlarms;
    readonly metricsServer: MetricsServer;
    readonly clusterAutoscaler: ClusterAutoscaler;
    readonly apps: AppCatalog;
    readonly canary: DataPathCanary;
    readonly probes: BlackboxProbes;
    /** The PagerDuty escalation policy, service and integrations, when the stack sets `pagerdutyToken`. */
    readonly pagerduty: PagerDutyEscalation | undefined;
}

/**
 * Composes the platform in deploy order: network, cluster, data path and its alarms, then on the
 * cluster the monitoring stack, the add-ons and, last, the app catalog.
 */
export function createPlatform(config: PlatformConfig): Platform {
    const prefix = resourcePrefix(config);
    const clusterName = prefix;

    const network = new Network(`${prefix}-network`, {
        cidr: config.network.cidr,
        region: config.region,
        availabilityZones: config.network.availabilityZones,
        natGateways: config.network.natGateways,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        clusterName,
        tags: config.tags,
    });

    const cluster = new Cluster(`${prefix}-cluster`, {
        clusterName,
        kubernetesVersion: config.cluster.kubernetesVersion,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        adminRoleArns: config.cluster.adminRoleArns,
        serviceCidr: config.cluster.serviceCidr,
        nodes: config.cluster.nodes,
        tags: config.tags,
    });

    const data = new DataPipeline(`${prefix}-data`, {
        ingest: config.data.ingest,
        streamMode: config.data.stream.mode,
        headroomFactor: config.data.stream.headroomFactor,
        retentionHours: config.data.stream.retentionHours,
        lifecycle: config.data.lake,
        bufferingIntervalSeconds: config.data.delivery.bufferingIntervalSeconds,
        bufferingSizeMb: config.data.delivery.bufferingSizeMb,
        logRetentionDays: config.data.delivery.logRetentionDays,
        tags: config.tags,
    });

    // With a PagerDuty API token the program owns the escalation policy, the service and its
    // integrations, and hands their keys (secrets) to Alertmanager and the alarm topic; without one,
    // the keys set with `pulumi config set --secret` are used as they are.
    const pagerduty = config.pagerdutyToken === undefined ? undefined : new PagerDutyEscalation(`${prefix}-pagerduty`, {
        token: pulumi.secret(config.pagerdutyToken),
        ladder: config.incident.escalation,
        serviceName: prefix,
    });
    const pagerdutyRoutingKey = pagerduty?.eventsRoutingKey ?? asSecret(config.pagerdutyRoutingKey);
    const pagerdutyCloudwatchKey = pagerduty?.cloudwatchIntegrationKey ?? asSecret(config.pagerdutyCloudwatchKey);

    const monitoring = new Monitoring(`${prefix}-monitoring`, {
        provider: cluster.provider,
        // The app rules and dashboards watch exactly the namespaces of the catalog.
        appNamespaces: config.apps.map((app) => app.namespace),
        nodeGroupMaxSize: cluster.nodes.max,
        runbookBaseUrl: config.monitoring.runbookBaseUrl,
        prometheus: config.monitoring.prometheus,
        alertmanager: config.monitoring.alertmanager,
        canary: canaryWatch(config.monitoring.canary),
        probes: true,
        receivers: { slackWebhookUrl: asSecret(config.slackWebhookUrl), pagerdutyRoutingKey },
    }, { dependsOn: [cluster] });

    const alarms = new DataPathAlarms(`${prefix}-data-alarms`, {
        streamName: data.streamName,
        streamArn: data.streamArn,
        retentionHours: data.retentionHours,
        deliveryStreamName: data.deliveryStreamName,
        bufferingIntervalSeconds: data.bufferingIntervalSeconds,
        runbookBaseUrl: config.monitoring.runbookBaseUrl,
        emails: config.monitoring.alarms.emails,
        pagerdutyCloudwatchKey,
        tags: config.tags,
    });

    // The HPAs read metrics-server; the autoscaler adds nodes when they scale past the current ones.
    // Both wait for the whole cluster, nodes included: their Helm releases wait for ready pods and
    // would time out on a first `pulumi up` while the node group is still being created.
    const metricsServer = new MetricsServer(`${prefix}-metrics-server`, { provider: cluster.provider }, { dependsOn: [cluster] });
    const clusterAutoscaler = new ClusterAutoscaler(`${prefix}-cluster-autoscaler`, {
        provider: cluster.provider,
        irsa: cluster,
        clusterName: cluster.clusterName,
        kubernetesVersion: config.cluster.kubernetesVersion,
        region: config.region,
        maxNodes: cluster.nodes.max,
    }, { dependsOn: [cluster] });

    // After the monitoring stack, whose kube-state-metrics reports the CronJob's runs to the canary rule.
    const canary = new DataPathCanary(`${prefix}-canary`, {
        provider: cluster.provider,
        irsa: cluster,
        timing: {
            intervalMinutes: config.monitoring.canary.intervalMinutes,
            marginMinutes: config.monitoring.canary.marginMinutes,
            bufferingIntervalSeconds: data.bufferingIntervalSeconds,
        },
        environment: config.environment,
        region: config.region,
        streamName: data.streamName,
        streamArn: data.streamArn,
        bucketName: data.bucketName,
        bucketArn: data.bucketArn,
        keyArn: data.keyArn,
        prefix: TELEMETRY_PREFIX,
    }, { dependsOn: [monitoring] });

    const streamEnv = { TELEMETRY_STREAM_NAME: data.streamName };
    // After the monitoring stack: it installs the ServiceMonitor CRD the apps' monitors need.
    const apps = new AppCatalog(`${prefix}-apps`, {
        apps: config.apps,
        provider: cluster.provider,
        irsa: cluster,
        dataAccess: {
            produceStream: { policyJson: data.producerPolicyJson, env: streamEnv },
            readStream: { policyJson: data.streamReaderPolicyJson, env: streamEnv },
            readLake: { policyJson: data.lakeReaderPolicyJson, env: { DATA_LAKE_BUCKET: data.bucketName } },
        },
        vpcCidr: config.network.cidr,
        region: config.region,
    }, { dependsOn: [monitoring] });

    // After the apps, whose load balancers' names the listener probes need; the Probe kind comes with the monitoring stack.
    const probes = new BlackboxProbes(`${prefix}-probes`, {
        provider: cluster.provider,
        apps: config.apps,
        vpcCidr: config.network.cidr,
        loadBalancerHostnames: apps.loadBalancerHostnames,
        monitoringNamespace: MONITORING_NAMESPACE,
        releaseLabels: { release: RELEASE_NAME },
    }, { dependsOn: [monitoring] });

    return { network, cluster, data, monitoring, alarms, metricsServer, clusterAutoscaler, apps, canary, probes, pagerduty };
}

/** What `pulumi stack output` shows. */
export function platformOutputs(platform: Platform) {
    const { network, cluster, data, monitoring, alarms } = platform;
    return {
        vpcId: network.vpcId,
        clusterName: cluster.clusterName,
        kubeconfig: pulumi.secret(cluster.kubeconfig),
        nodeGroup: cluster.nodes,
        streamName: data.streamName,
        streamArn: data.streamArn,
        shardCount: data.shardCount ?? "on-demand",
        bucketName: data.bucketName,
        monitoringNamespace: monitoring.namespace,
        grafanaAdminPassword: monitoring.grafanaAdminPassword,
        alarmTopicArn: alarms.topicArn,
        appNamespaces: platform.apps.namespaces,
    };
}

/** Secret config arrives in plaintext (pulumi.runtime.allConfig); it leaves the program only as a secret. */
function asSecret(value: string | undefined): pulumi.Output<string> | undefined {
    return value === undefined ? undefined : pulumi.secret(value);
}
