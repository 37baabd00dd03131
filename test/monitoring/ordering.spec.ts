import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { Monitoring } from "../../components/monitoring/Monitoring";
import { RecordedResource, recordProgram } from "../../tools/mockProgram";
import { one } from "../util";

/** Builds one Monitoring component under mocks and records what each registration waits for. */
function registrations(): Promise<RecordedResource[]> {
    return recordProgram(() => {
        new Monitoring("m", {
            provider: new k8s.Provider("cluster", { kubeconfig: "{}" }),
            appNamespaces: ["ingest"],
            nodeGroupMaxSize: 3,
            runbookBaseUrl: "https://example.com/runbooks/",
            prometheus: { retention: "7d", storageGb: 20 },
            alertmanager: { replicas: 1 },
        });
    });
}

describe("Monitoring creation order", () => {
    let recorded: RecordedResource[];
    before(async () => {
        recorded = await registrations();
    });
    const the = (type: string) => one(recorded, type);

    it("installs the chart only once the namespace's quota, LimitRange and network policies exist", () => {
        const release = the("kubernetes:helm.sh/v3:Release");
        for (const type of ["kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange"]) {
            assert.ok(release.dependencies.includes(the(type).urn), type);
        }
        const policies = recorded.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        assert.ok(policies.length >= 6);
        for (const policy of policies) {
            assert.ok(release.dependencies.includes(policy.urn), policy.name);
        }
    });

    it("creates the PrometheusRule after the release that installs its CRD", () => {
        const rule = the("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        assert.ok(rule.dependencies.includes(the("kubernetes:helm.sh/v3:Release").urn));
    });
});
