import { strict as assert } from "assert";
import { imagePinProblem, imageReference, resolveApp } from "../../components/apps/app";
import { resolvePeers } from "../../components/apps/catalog";
import { minAvailableFor, quotaFor, shutdownFor } from "../../components/apps/sizing";
import { egressPolicyManifest, serviceManifest } from "../../components/apps/workloadManifests";
import { sampleApp } from "./fixtures";

describe("app entry", () => {
    it("pins images by tag, digest or both", () => {
        const repository = "registry.example.com/iot/api";
        const digest = `sha256:${"0".repeat(64)}`;
        assert.equal(imageReference({ repository, tag: "1.2.3" }), `${repository}:1.2.3`);
        assert.equal(imageReference({ repository, digest }), `${repository}@${digest}`);
        assert.equal(imageReference({ repository, tag: "1.2.3", digest }), `${repository}:1.2.3@${digest}`);
    });

    it("refuses latest and untagged images", () => {
        assert.match(imagePinProblem({ repository: "r/x", tag: "Latest" })!, /must not use the tag `latest`/);
        assert.match(imagePinProblem({ repository: "r/x" })!, /needs a tag or a digest/);
        assert.throws(() => imageReference({ repository: "r/x", tag: "latest" }), /latest/);
    });

    it("sizes the quota for max replicas plus one rollout pod", () => {
        assert.deepEqual(quotaFor(resolveApp(sampleApp())), { cpuMillis: 3500, memoryMiB: 7168, memoryLimitMiB: 14336, pods: 7, loadBalancers: 0 });
        assert.equal(quotaFor(resolveApp({ ...sampleApp(), public: true })).loadBalancers, 1);
    });

    it("keeps the disruption budget one below the HPA minimum", () => {
        assert.equal(minAvailableFor(resolveApp(sampleApp())), 2);
        assert.equal(minAvailableFor(resolveApp({ ...sampleApp(), replicas: { min: 2, max: 2 } })), 1);
    });

    it("waits for the longest request on shutdown", () => {
        assert.deepEqual(shutdownFor(resolveApp(sampleApp())), { preStopSeconds: 10, terminationGracePeriodSeconds: 315 });
        assert.equal(shutdownFor(resolveApp({ ...sampleApp(), requestTimeoutSeconds: undefined })).terminationGracePeriodSeconds, 45);
    });
});

describe("app peers", () => {
    const web = resolveApp({ ...sampleApp(), name: "web-app", namespace: "web", port: 3000, allowFrom: [], dataAccess: [] });
    const api = resolveApp(sampleApp());

    it("opens both ends of a declared call", () => {
        const peers = resolvePeers([api, web]);
        assert.deepEqual(peers.get("telemetry-api"), { callers: [{ app: "web-app", namespace: "web", port: 3000 }], callees: [] });
        assert.deepEqual(peers.get("web-app"), { callers: [], callees: [{ app: "telemetry-api", namespace: "api", port: 8080 }] });
    });

    it("refuses a caller outside the catalog", () => {
        assert.throws(() => resolvePeers([api]), /allows calls from "web-app", which is not in the catalog/);
    });

    it("renders no egress policy for an app that calls nothing and has no data access", () => {
        assert.equal(egressPolicyManifest(web, "web", []), undefined);
        assert.ok(egressPolicyManifest(web, "web", [{ app: "telemetry-api", namespace: "api", port: 8080 }]));
    });

    it("asks for a load balancer only for a public app", () => {
        assert.equal((serviceManifest(api, "api").spec as { type: string }).type, "ClusterIP");
        assert.equal((serviceManifest({ ...api, public: true }, "api").spec as { type: string }).type, "LoadBalancer");
    });
});
