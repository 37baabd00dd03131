import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { Monitoring } from "../../components/monitoring/Monitoring";

interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** URNs the engine is told to create first (a component in dependsOn expands to its children). */
    readonly dependencies: readonly string[];
}

/** Builds one Monitoring component under mocks and records what each registration waits for. */
async function registrations(): Promise<Registration[]> {
    await pulumi.runtime.setMocks({
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
    }, "iot-platform", "ordering", true);
    const recorded: Registration[] = [];
    const monitor = settings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, response: any) => void) => {
        recorded.push({
            type: req.getType(),
            name: req.getName(),
            urn: monitor.newUrn(req.getParent() || undefined, req.getType(), req.getName()),
            dependencies: req.getDependenciesList(),
        });
        return register(req, callback);
    };
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    new Monitoring("m", {
        provider,
        appNamespaces: ["ingest"],
        nodeGroupMaxSize: 3,
        runbookBaseUrl: "https://example.com/runbooks/",
        prometheus: { retention: "7d", storageGb: 20 },
        alertmanager: { replicas: 1 },
    });
    // Internal to the pinned @pulumi/pulumi, as in tools/mockProgram.ts: resolves once every registration is sent.
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return recorded;
}

describe("Monitoring creation order", () => {
    let recorded: Registration[];
    before(async () => {
        recorded = await registrations();
    });
    const one = (type: string) => {
        const found = recorded.filter((r) => r.type === type);
        assert.equal(found.length, 1, type);
        return found[0];
    };

    it("installs the chart only once the namespace's quota, LimitRange and network policies exist", () => {
        const release = one("kubernetes:helm.sh/v3:Release");
        for (const type of ["kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange"]) {
            assert.ok(release.dependencies.includes(one(type).urn), type);
        }
        const policies = recorded.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        assert.ok(policies.length >= 6);
        for (const policy of policies) {
            assert.ok(release.dependencies.includes(policy.urn), policy.name);
        }
    });

    it("creates the PrometheusRule after the release that installs its CRD", () => {
        const rule = one("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        assert.ok(rule.dependencies.includes(one("kubernetes:helm.sh/v3:Release").urn));
    });
});
