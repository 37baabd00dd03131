import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { NamespacedApp } from "../../components/apps/NamespacedApp";
import { sampleApp } from "./fixtures";

interface Registration {
    readonly type: string;
    readonly urn: string;
    /** URNs the engine is told to create first (a component in dependsOn expands to its children). */
    readonly dependencies: readonly string[];
}

/** Builds one NamespacedApp under mocks and records what each registration waits for. */
async function registrations(): Promise<Registration[]> {
    await pulumi.runtime.setMocks({
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
    }, "iot-platform", "app-ordering", true);
    const recorded: Registration[] = [];
    const monitor = settings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, response: any) => void) => {
        recorded.push({
            type: req.getType(),
            urn: monitor.newUrn(req.getParent() || undefined, req.getType(), req.getName()),
            dependencies: req.getDependenciesList(),
        });
        return register(req, callback);
    };
    const noIrsa = { createIrsaRole: () => { throw new Error("an app without data access needs no IRSA role"); } };
    new NamespacedApp("api", {
        app: { ...sampleApp(), dataAccess: [], allowFrom: [] },
        provider: new k8s.Provider("cluster", { kubeconfig: "{}" }),
        irsa: noIrsa,
        dataAccess: {} as never,
        vpcCidr: "10.20.0.0/16",
        region: "us-east-1",
    });
    // Internal to the pinned @pulumi/pulumi, as in tools/mockProgram.ts: resolves once every registration is sent.
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return recorded;
}

describe("NamespacedApp creation order", () => {
    let recorded: Registration[];
    before(async () => {
        recorded = await registrations();
    });
    const one = (type: string) => {
        const found = recorded.filter((r) => r.type === type);
        assert.equal(found.length, 1, type);
        return found[0];
    };

    it("creates the Deployment only once the namespace's quota, LimitRange, policies and service account exist", () => {
        const deployment = one("kubernetes:apps/v1:Deployment");
        for (const type of ["kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange", "kubernetes:core/v1:ServiceAccount"]) {
            assert.ok(deployment.dependencies.includes(one(type).urn), type);
        }
        const guardrails = recorded.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && /-ns-/.test(r.urn));
        assert.equal(guardrails.length, 2);
        for (const policy of guardrails) {
            assert.ok(deployment.dependencies.includes(policy.urn), policy.urn);
        }
    });
});
