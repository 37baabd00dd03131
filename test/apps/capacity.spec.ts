import { strict as assert } from "assert";
import { allocatablePerNode, appRoom, fitCatalog, INSTANCE_TYPES, kubeReserved } from "../../components/apps/capacity";

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
        assert.deepEqual(appRoom(INSTANCE_TYPES["m6i.large"], 6), { cpuMillis: 6 * 1530 - 1500, memoryMiB: 6 * 6414 - 4608 });
    });

    it("names the first app whose worst case no longer fits", () => {
        const shape = INSTANCE_TYPES["t3.large"];
        const app = (name: string, maxReplicas: number) => ({ name, maxReplicas, requests: { cpuMillis: 500, memoryMiB: 100 } });
        // room 3 × 1530 − 1500 = 3090m: 2000m fits, 2000m + 1500m does not
        const fit = fitCatalog([app("a", 4), app("b", 3), app("c", 1)], shape, 3);
        assert.deepEqual(fit.overflow, { index: 1, app: "b", resource: "cpu", needed: 3500, room: 3090, unit: "m" });
        assert.equal(fitCatalog([app("a", 4), app("b", 2)], shape, 3).overflow, undefined);
    });
});
