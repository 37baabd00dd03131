import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { NamespacedApp } from "../../components/apps/NamespacedApp";
import { RecordedResource, recordProgram } from "../../tools/mockProgram";
import { one } from "../util";
import { sampleApp } from "./fixtures";

/** Builds one NamespacedApp under mocks and records what each registration waits for. */
function registrations(): Promise<RecordedResource[]> {
    const noIrsa = { createIrsaRole: () => { throw new Error("an app without data access needs no IRSA role"); } };
    return recordProgram(() => {
        new NamespacedApp("api", {
            app: { ...sampleApp(), dataAccess: [], allowFrom: [] },
            provider: new k8s.Provider("cluster", { kubeconfig: "{}" }),
            irsa: noIrsa,
            dataAccess: {} as never,
            vpcCidr: "10.20.0.0/16",
            region: "us-east-1",
        });
    });
}

describe("NamespacedApp creation order", () => {
    let recorded: RecordedResource[];
    before(async () => {
        recorded = await registrations();
    });
    const the = (type: string) => one(recorded, type);

    it("creates the Deployment only once the namespace's quota, LimitRange, policies and service account exist", () => {
        const deployment = the("kubernetes:apps/v1:Deployment");
        for (const type of ["kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange", "kubernetes:core/v1:ServiceAccount"]) {
            assert.ok(deployment.dependencies.includes(the(type).urn), type);
        }
        const guardrails = recorded.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && /-ns-/.test(r.urn));
        assert.equal(guardrails.length, 2);
        for (const policy of guardrails) {
            assert.ok(deployment.dependencies.includes(policy.urn), policy.urn);
        }
    });
});
