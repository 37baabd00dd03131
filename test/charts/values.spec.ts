import { strict as assert } from "assert";
import { chartDefaults, ignoredValuePaths, mergeValues } from "../../tools/charts/values";
import { selects } from "./intents";

describe("values paths a chart ignores", () => {
    const defaults = {
        replicas: 1,
        resources: {},
        podAnnotations: null,
        tolerations: [],
        extraArgs: { v: 4 },
        alertmanager: { spec: { replicas: 1, storage: {} } },
    };

    it("accepts paths in the defaults and anything under an empty map, null or a listed pass-through map", () => {
        const values = {
            replicas: 2,
            resources: { requests: { cpu: "1" } },
            podAnnotations: { a: "b" },
            tolerations: [{ key: "x" }],
            extraArgs: { "max-nodes-total": 6 },
            alertmanager: { spec: { replicas: 2, storage: { volumeClaimTemplate: {} } } },
        };
        assert.deepEqual(ignoredValuePaths(values, defaults, ["extraArgs"]), []);
    });

    it("names every path the chart does not define, by its full path", () => {
        const values = { replica: 2, alertmanager: { spec: { replica: 2 }, sepc: {} }, extraArgs: { "max-nodes-total": 6 } };
        assert.deepEqual(ignoredValuePaths(values, defaults), ["replica", "alertmanager.spec.replica", "alertmanager.sepc", "extraArgs.max-nodes-total"]);
    });

    it("merges subchart defaults under their alias or name, the parent's settings winning", () => {
        const files = new Map<string, Buffer>([
            ["parent/Chart.yaml", Buffer.from("name: parent\nversion: 1.0.0\ndependencies:\n- name: grafana\n  version: 1.0.0\n- name: exporter\n  alias: nodeExporter\n  version: 2.0.0\n")],
            ["parent/values.yaml", Buffer.from("grafana:\n  adminUser: root\nown: 1\n")],
            ["parent/charts/grafana/Chart.yaml", Buffer.from("name: grafana\nversion: 1.0.0\n")],
            ["parent/charts/grafana/values.yaml", Buffer.from("adminUser: admin\nadmin:\n  existingSecret: \"\"\n")],
            ["parent/charts/exporter/Chart.yaml", Buffer.from("name: exporter\nversion: 2.0.0\n")],
            ["parent/charts/exporter/values.yaml", Buffer.from("port: 9100\n")],
        ]);
        assert.deepEqual(chartDefaults(files, "parent"), {
            grafana: { adminUser: "root", admin: { existingSecret: "" } },
            own: 1,
            nodeExporter: { port: 9100 },
        });
        assert.deepEqual(mergeValues({ a: { b: 1, c: 2 } }, { a: { c: 3 } }), { a: { b: 1, c: 3 } });
    });
});

describe("label selectors", () => {
    it("match as Kubernetes matches them", () => {
        assert.equal(selects({ matchLabels: { release: "x" } }, { release: "x", app: "y" }), true);
        assert.equal(selects({ matchLabels: { release: "x" } }, { app: "y" }), false);
        assert.equal(selects({}, { app: "y" }), true);
        assert.equal(selects(null, { app: "y" }), false);
        assert.equal(selects({ matchExpressions: [{ key: "app", operator: "In", values: ["y"] }] }, { app: "y" }), true);
        assert.equal(selects({ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, { app: "y" }), false);
    });
});
