import * as assert from "assert";
import { resolveApp } from "../../components/apps/app";
import { deploymentManifest, serviceMonitorManifest } from "../../components/apps/workloadManifests";
import { ofType, runStack } from "../util";
import { asManifest, strictValidate } from "./k8sSchema";
import { SAMPLE_VPC_CIDR, sampleApp } from "./fixtures";

/** A manifest as the API server receives it: the Pulumi args plus apiVersion and kind. */
function deployment(): any {
    return JSON.parse(JSON.stringify({ apiVersion: "apps/v1", kind: "Deployment", ...deploymentManifest(resolveApp(sampleApp(), SAMPLE_VPC_CIDR), "api", { AWS_REGION: "us-east-1" }) }));
}

describe("strict Kubernetes schema validation", () => {
    it("accepts a valid Deployment, labels and resource maps included", () => {
        assert.deepStrictEqual(strictValidate(deployment()), []);
    });

    it("rejects a typo'd field name that plain kubernetes-models validation lets through", () => {
        // given
        const manifest = deployment();
        const container = manifest.spec.template.spec.containers[0];
        container.imagee = container.image;
        // then
        assert.deepStrictEqual(strictValidate(manifest), ['/spec/template/spec/containers/0: unknown field "imagee"']);
    });

    it("rejects an unknown field deep in a probe", () => {
        const manifest = deployment();
        manifest.spec.template.spec.containers[0].readinessProbe.httpGet.paht = "/readyz";
        assert.deepStrictEqual(strictValidate(manifest), ['/spec/template/spec/containers/0/readinessProbe/httpGet: unknown field "paht"']);
    });

    it("rejects a wrong type", () => {
        const manifest = deployment();
        manifest.spec.revisionHistoryLimit = "five";
        assert.match(strictValidate(manifest).join("\n"), /\/spec\/revisionHistoryLimit: type/);
    });

    it("rejects an unknown field in a ServiceMonitor (prometheus-operator schema)", () => {
        const monitor: any = JSON.parse(JSON.stringify(serviceMonitorManifest(resolveApp(sampleApp(), SAMPLE_VPC_CIDR), "api")));
        assert.deepStrictEqual(strictValidate(monitor), []);
        monitor.spec.endpoints[0].paht = "/metrics";
        assert.deepStrictEqual(strictValidate(monitor), ['/spec/endpoints/0: unknown field "paht"']);
    });

    it("rejects a kind it has no schema for instead of passing it", () => {
        assert.deepStrictEqual(strictValidate({ apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "x" } }), ["no schema for apps/v1 Deploymnet"]);
    });

    for (const stack of ["prod", "staging"]) {
        it(`${stack}: every rendered Kubernetes object is valid and has no unknown field`, async () => {
            const { resources } = await runStack(stack);
            const objects = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release" && r.type !== "pulumi:providers:kubernetes");
            assert.ok(ofType(objects, "kubernetes:apps/v1:Deployment").length >= 4);
            const problems = objects.flatMap((r) => strictValidate(asManifest(r.inputs)).map((p) => `${r.type} ${r.name} ${p}`));
            assert.deepStrictEqual(problems, []);
        });
    }
});
