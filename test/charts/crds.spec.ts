import { strict as assert } from "assert";
import { crdValidators, strictSchema } from "../../tools/charts/crds";
import { asManifest } from "../apps/k8sSchema";
import { runStack } from "../util";
import { STACKS } from "./targets";
import { vendoredCrdValidators, vendoredCrds } from "./validation";

const MONITORS = ["ServiceMonitor", "PrometheusRule", "Probe"];

describe("custom resources against the CRDs of the vendored chart", () => {
    it("finds the Prometheus Operator CRDs in the vendored kube-prometheus-stack", () => {
        const kinds = vendoredCrds().map((crd) => crd.spec.names.kind).sort();
        assert.deepEqual(kinds, ["Alertmanager", "AlertmanagerConfig", "PodMonitor", "Probe", "Prometheus", "PrometheusAgent", "PrometheusRule", "ScrapeConfig", "ServiceMonitor", "ThanosRuler"]);
    });

    for (const stack of STACKS) {
        it(`accepts the ServiceMonitors, the PrometheusRule and the Probes the program creates (${stack})`, async () => {
            const objects = (await runStack(stack)).resources
                .filter((r) => MONITORS.some((kind) => r.type === `kubernetes:monitoring.coreos.com/v1:${kind}`))
                .map((r) => ({ apiVersion: "monitoring.coreos.com/v1", kind: r.type.split(":").pop()!, ...asManifest(r.inputs) }));
            assert.ok(objects.filter((o) => o.kind === "ServiceMonitor").length >= 1);
            assert.equal(objects.filter((o) => o.kind === "PrometheusRule").length, 1);
            assert.ok(objects.filter((o) => o.kind === "Probe").length >= 4);
            for (const o of objects) {
                assert.deepEqual(vendoredCrdValidators().get(`monitoring.coreos.com/v1 ${o.kind}`)!(o), [], `${o.kind} ${o.metadata.name}`);
            }
        });
    }

    it("rejects an unknown field, a wrong type and a bad enum in the program's objects", async () => {
        const monitor = asManifest((await runStack("prod")).resources.find((r) => r.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")!.inputs);
        const validate = vendoredCrdValidators().get("monitoring.coreos.com/v1 ServiceMonitor")!;
        const endpoint = monitor.spec.endpoints[0];
        assert.deepEqual(validate({ ...monitor, spec: { ...monitor.spec, endpoints: [{ ...endpoint, intervall: "30s" }] } }), ['/spec/endpoints/0: unknown field "intervall"']);
        assert.deepEqual(validate({ ...monitor, spec: { ...monitor.spec, endpoints: [{ ...endpoint, honorLabels: "yes" }] } }), ["/spec/endpoints/0/honorLabels: must be boolean"]);
        assert.deepEqual(validate({ ...monitor, spec: { ...monitor.spec, endpoints: [{ ...endpoint, scheme: "ftp" }] } }), ["/spec/endpoints/0/scheme: must be equal to one of the allowed values"]);
    });
});

describe("CRD schemas made strict", () => {
    const crd = (schema: Record<string, unknown>) => ({
        kind: "CustomResourceDefinition" as const,
        spec: { group: "example.com", names: { kind: "Thing" }, versions: [{ name: "v1", served: true, schema: { openAPIV3Schema: schema } }] },
    });

    it("rejects fields an object does not declare, but not under preserve-unknown-fields or free-form maps", () => {
        const schema = {
            type: "object",
            properties: {
                spec: {
                    type: "object",
                    properties: {
                        size: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
                        raw: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "string" } } },
                        labels: { type: "object", additionalProperties: { type: "string" } },
                        mode: { type: "string", pattern: "^(?i)(abort|warn)?$" },
                    },
                },
            },
        };
        const validate = crdValidators([crd(schema)]).get("example.com/v1 Thing")!;
        assert.deepEqual(validate({ spec: { size: "1Gi", raw: { anything: 1 }, labels: { a: "b" }, mode: "WARN" } }), []);
        assert.deepEqual(validate({ spec: { sise: 1 } }), ['/spec: unknown field "sise"']);
        assert.deepEqual(validate({ spec: { mode: "drop" } }), ['/spec/mode: must match pattern "^(?i)(abort|warn)?$"']);
        assert.equal(strictSchema(schema).properties.spec.properties.raw.additionalProperties, undefined);
    });
});
