import { strict as assert } from "assert";
import { clusterAutoscalerValues } from "../../components/addons/ClusterAutoscaler";
import { metricsServerValues } from "../../components/addons/MetricsServer";
import { CANARY_RESOURCES } from "../../components/canary/manifests";
import { BLACKBOX_REPLICAS, BLACKBOX_RESOURCES } from "../../components/monitoring/probes";
import {
    allocatablePerNode, appRoom, CLUSTER_SERVICES_PODS, CLUSTER_SERVICES_RESERVE, DAEMONSET_PODS_PER_NODE, fitCatalog, InstanceShape,
} from "../../components/apps/capacity";
import { INSTANCE_CATALOGUE, kubeReserved, Resources } from "../../policy/instances";

const INSTANCE_TYPES: Readonly<Record<string, InstanceShape>> = INSTANCE_CATALOGUE.types;
import { RESOURCES } from "../../components/monitoring/values";

/** `500m` / `2` cores as millicores, `128Mi` / `2Gi` as MiB. */
function requestsOf(requests: { cpu: string; memory: string }, times = 1): Resources {
    const cpu = requests.cpu.endsWith("m") ? Number(requests.cpu.slice(0, -1)) : Number(requests.cpu) * 1000;
    const memory = requests.memory.endsWith("Gi") ? Number(requests.memory.slice(0, -2)) * 1024 : Number(requests.memory.slice(0, -2));
    return { cpuMillis: cpu * times, memoryMiB: memory * times };
}

describe("capacity", () => {
    it("reserves for the kubelet as the EKS AMIs do", () => {
        assert.deepEqual(kubeReserved(INSTANCE_TYPES["m6i.large"]), { cpuMillis: 70, memoryMiB: 574 });
        assert.deepEqual(kubeReserved(INSTANCE_TYPES["m6i.xlarge"]), { cpuMillis: 80, memoryMiB: 893 });
        assert.deepEqual(kubeReserved(INSTANCE_TYPES["m6i.2xlarge"]), { cpuMillis: 90, memoryMiB: 893 });
    });

    it("leaves 1530m and about 6.3 GiB per large node after reservations and DaemonSets", () => {
        assert.deepEqual(allocatablePerNode(INSTANCE_TYPES["m6i.large"]), { cpuMillis: 1530, memoryMiB: 6414 });
        assert.deepEqual(allocatablePerNode(INSTANCE_TYPES["t3.large"]), { cpuMillis: 1530, memoryMiB: 6348 });
    });

    it("subtracts the cluster services once, not per node, and the DaemonSet pods on every node", () => {
        assert.deepEqual(appRoom(INSTANCE_TYPES["m6i.large"], 6), {
            cpuMillis: 6 * 1530 - 1700,
            memoryMiB: 6 * 6414 - 4916,
            pods: 6 * (29 - DAEMONSET_PODS_PER_NODE) - CLUSTER_SERVICES_PODS,
        });
    });

    it("stops at the pods-per-node limit before CPU or memory when many small pods scale out", () => {
        // given 3 × m6i.large: 3 × (29 − 4) − 16 = 59 pod slots, 3 × 1530 − 1700 = 2890m CPU
        const small = (name: string, maxReplicas: number) => ({ name, maxReplicas, requests: { cpuMillis: 10, memoryMiB: 32 } });
        // when 40 + 19 pods fit exactly and one more app's pods do not
        const fits = fitCatalog([small("a", 40), small("b", 19)], INSTANCE_TYPES["m6i.large"], 3);
        const over = fitCatalog([small("a", 40), small("b", 19), small("c", 2)], INSTANCE_TYPES["m6i.large"], 3);
        // then pods bind while CPU (2300m) and memory still have room
        assert.equal(fits.overflow, undefined);
        assert.deepEqual(over.overflow, { index: 2, app: "c", resource: "pods", needed: 61, room: 59, unit: " pods" });
        assert.ok(over.needed.cpuMillis < over.room.cpuMillis && over.needed.memoryMiB < over.room.memoryMiB);
        // and the larger type's ENIs lift the limit: m6i.xlarge admits 58 pods per node
        assert.equal(fitCatalog([small("a", 40), small("b", 19), small("c", 2)], INSTANCE_TYPES["m6i.xlarge"], 3).overflow, undefined);
    });

    it("counts the cluster services' pods as it counts their requests", () => {
        // CoreDNS 2, EBS CSI controller 2, metrics-server 2, cluster-autoscaler 1, Prometheus 1, Alertmanager 2,
        // Grafana 1, operator 1, kube-state-metrics 1, blackbox exporter 2, one canary run
        const pods = 2 + 2 + metricsServerValues(2).replicas + 1 + 1 + 2 + 1 + 1 + 1 + BLACKBOX_REPLICAS + 1;
        assert.equal(CLUSTER_SERVICES_PODS, pods);
    });

    it("reserves at least what the cluster services request, so the check never promises room they take", () => {
        // given every singleton outside the catalog, with the requests it is deployed with
        const services: Resources[] = [
            // EKS-managed add-ons at their defaults: CoreDNS 100m/70Mi, EBS CSI controller 6 containers × 10m/40Mi
            { cpuMillis: 2 * 100, memoryMiB: 2 * 70 },
            { cpuMillis: 2 * 6 * 10, memoryMiB: 2 * 6 * 40 },
            requestsOf(metricsServerValues(2).resources.requests, 2),
            requestsOf(clusterAutoscalerValues({ clusterName: "c", region: "us-east-1", maxNodes: 3 }, "v1.34.2", "arn").resources.requests),
            requestsOf(RESOURCES.prometheus.requests),
            requestsOf(RESOURCES.configReloader.requests, 1 + 2),
            requestsOf(RESOURCES.alertmanager.requests, 2),
            requestsOf(RESOURCES.grafana.requests),
            requestsOf(RESOURCES.grafanaSidecar.requests, 2),
            requestsOf(RESOURCES.operator.requests),
            requestsOf(RESOURCES.kubeStateMetrics.requests),
            requestsOf(BLACKBOX_RESOURCES.requests, BLACKBOX_REPLICAS),
            { cpuMillis: CANARY_RESOURCES.cpuMillis, memoryMiB: CANARY_RESOURCES.memoryMiB },
        ];
        // when
        const total = services.reduce((sum, r) => ({ cpuMillis: sum.cpuMillis + r.cpuMillis, memoryMiB: sum.memoryMiB + r.memoryMiB }));
        // then
        assert.deepEqual(total, { cpuMillis: 1700, memoryMiB: 4916 });
        assert.ok(total.cpuMillis <= CLUSTER_SERVICES_RESERVE.cpuMillis && total.memoryMiB <= CLUSTER_SERVICES_RESERVE.memoryMiB);
    });

    it("names the first app whose worst case no longer fits", () => {
        const shape = INSTANCE_TYPES["t3.large"];
        const app = (name: string, maxReplicas: number) => ({ name, maxReplicas, requests: { cpuMillis: 500, memoryMiB: 100 } });
        // room 3 × 1530 − 1700 = 2890m: 2000m + 500m fits, 2000m + 1500m does not
        const fit = fitCatalog([app("a", 4), app("b", 3), app("c", 1)], shape, 3);
        assert.deepEqual(fit.overflow, { index: 1, app: "b", resource: "cpu", needed: 3500, room: 2890, unit: "m" });
        assert.equal(fitCatalog([app("a", 4), app("b", 1)], shape, 3).overflow, undefined);
    });
});
