import { strict as assert } from "assert";
import { clusterAutoscalerValues } from "../../components/addons/ClusterAutoscaler";
import { metricsServerValues } from "../../components/addons/MetricsServer";
import { CANARY_RESOURCES } from "../../components/canary/manifests";
import { BLACKBOX_REPLICAS, BLACKBOX_RESOURCES } from "../../components/monitoring/probes";
import { allocatablePerNode, appRoom, CLUSTER_SERVICES_RESERVE, fitCatalog, INSTANCE_TYPES, kubeReserved, Resources } from "../../components/apps/capacity";
import { RESOURCES } from "../../components/monitoring/values";

/** `500m` / `2` cores as millicores, `128Mi` / `2Gi` as MiB. */
function requestsOf(requests: { cpu: string; memory: string }, times = 1): Resources {
    const cpu = requests.cpu.endsWith("m") ? Number(requests.cpu.slice(0, -1)) : Number(requests.cpu) * 1000;
    const memory = requests.memory.endsWith("Gi") ? Number(requests.memory.slice(0, -2)) * 1024 : Number(requests.memory.slice(0, -2));
    return { cpuMillis: cpu * times, memoryMiB: memory * times };
}

describe("capacity", () => {
    it("covers the instance types a node group may use", () => {
        for (const type of ["t3.large", "t3.xlarge", "m6i.large", "m6i.xlarge", "m6i.2xlarge", "m7i.large", "m7i.xlarge", "r6i.large", "r6i.xlarge"]) {
            assert.ok(INSTANCE_TYPES[type], type);
        }
    });

    it("reserves for the kubelet as the EKS AMIs do", () => {
        assert.deepEqual(kubeReserved(INSTANCE_TYPES["m6i.large"]), { cpuMillis: 70, memoryMiB: 574 });
        assert.deepEqual(kubeReserved(INSTANCE_TYPES["m6i.xlarge"]), { cpuMillis: 80, memoryMiB: 893 });
        assert.deepEqual(kubeReserved(INSTANCE_TYPES["m6i.2xlarge"]), { cpuMillis: 90, memoryMiB: 893 });
    });

    it("leaves 1530m and about 6.3 GiB per large node after reservations and DaemonSets", () => {
        assert.deepEqual(allocatablePerNode(INSTANCE_TYPES["m6i.large"]), { cpuMillis: 1530, memoryMiB: 6414 });
        assert.deepEqual(allocatablePerNode(INSTANCE_TYPES["t3.large"]), { cpuMillis: 1530, memoryMiB: 6348 });
    });

    it("subtracts the cluster services once, not per node", () => {
        assert.deepEqual(appRoom(INSTANCE_TYPES["m6i.large"], 6), { cpuMillis: 6 * 1530 - 1700, memoryMiB: 6 * 6414 - 4916 });
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
