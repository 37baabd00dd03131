/**
 * Adding an app is a change to the stack file only: a fifth entry, written into a copy of
 * Pulumi.prod.yaml as a person would, reaches the program, the policy pack, the alert rules and the
 * diagram with no code edit.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderStack } from "../../scripts/render-monitoring";
import { CheckResult } from "../../tools/check/report";
import { PACK_DIR, runCheck } from "../../tools/check/run";
import { ProgramRun, runPlatformProgram } from "../../tools/mockProgram";
import { PolicyPackProcess } from "../../tools/policy/analyzer";
import { readStackFile, stackFilePath } from "../../tools/stackFile";
import { one, ofType, PROJECT_DIR } from "../util";
import { mermaidProblems } from "./mermaid";

/** The entry a team would append: reads the stream, is called by the dashboard, stays in the cluster. */
const FIFTH_APP = `    # Added by editing this file only (test/check/addApp.spec.ts).
    - name: fifth-app
      namespace: fifth
      image: { repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/fifth-app, tag: "1.0.0" }
      port: 8080
      dataAccess: [readStream]
      allowFrom: [web-app]
      replicas: { min: 2, max: 3 }
      resources: { cpuMillis: 100, memoryMiB: 128, memoryLimitMiB: 256 }
`;

/** `text` with `entry` appended to the `iot-platform:apps` list: before the next line indented like the key. */
function withAppEntry(text: string, entry: string): string {
    const key = text.indexOf("\n  iot-platform:apps:\n");
    assert.ok(key >= 0, "the stack file has an iot-platform:apps list");
    const next = /\n {2}\S/g;
    next.lastIndex = key + 1;
    const end = next.exec(text)?.index ?? text.length;
    return `${text.slice(0, end + 1)}${entry}${text.slice(end + 1)}`;
}

describe("adding a fifth app to a copy of the prod stack file", function () {
    this.timeout(120000);
    let dir: string;
    let pack: PolicyPackProcess;
    let result: CheckResult;
    let run: ProgramRun;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "iot-add-app-"));
        const shipped = fs.readFileSync(stackFilePath(PROJECT_DIR, "prod"), "utf8");
        fs.writeFileSync(stackFilePath(dir, "prod"), withAppEntry(shipped, FIFTH_APP));
        pack = await PolicyPackProcess.start(PACK_DIR);
        // The offline check (program under mocks, then the pack) and one more program run for the inputs it does not report.
        result = await runCheck({ stack: "prod", projectDir: dir }, pack);
        const file = readStackFile(stackFilePath(dir, "prod"));
        run = await runPlatformProgram(file.config, "prod", file.secretKeys);
    });

    after(() => {
        pack?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("is read as the catalog's fifth entry", () => {
        assert.deepEqual(run.config.apps.map((app) => app.name), ["device-gateway", "stream-processor", "telemetry-api", "web-app", "fifth-app"]);
    });

    it("gets its guarded namespace, workload, stream-reading IRSA role, probe and the dashboard's path to it", () => {
        const { resources } = run;
        one(resources, "iot:apps:NamespacedApp", "-apps-fifth-app");
        const namespace = ofType(resources, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "fifth");
        assert.equal(namespace?.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert.equal(ofType(resources, "kubernetes:core/v1:ResourceQuota").filter((q) => q.inputs.metadata.namespace === "fifth").length, 1);
        const deployment = one(resources, "kubernetes:apps/v1:Deployment", "-apps-fifth-app-deployment").inputs;
        assert.equal(deployment.metadata.namespace, "fifth");
        assert.equal(deployment.spec.template.spec.containers[0].image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/fifth-app:1.0.0");
        const policy = one(resources, "aws:iam/rolePolicy:RolePolicy", "-apps-fifth-app-irsa-readStream");
        assert.ok(JSON.parse(policy.inputs.policy).Statement.some((s: any) => [s.Action].flat().includes("kinesis:GetRecords")));
        const ingress = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.namespace === "fifth" && p.inputs.metadata.name === "fifth-app-ingress");
        const callers = ingress!.inputs.spec.ingress.flatMap((rule: any) => rule.from.map((f: any) => f.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"]));
        assert.ok(callers.includes("web"), callers.join(", "));
        const probes = ofType(resources, "kubernetes:monitoring.coreos.com/v1:Probe").map((p) => p.inputs.metadata.name);
        assert.ok(probes.includes("fifth-app-service"), probes.join(", "));
    });

    it("passes the policy pack with no violation, and the check names its placeholder image like the others'", () => {
        assert.deepEqual(result.violations, []);
        assert.deepEqual(result.configWarnings.filter((w) => w.includes("fifth") || w.includes("apps.4")), [
            "iot-platform:apps.4.image.repository: \"123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/fifth-app\" is a placeholder " +
                "(AWS's documentation account 123456789012); `pulumi up` refuses to start until it is replaced",
        ]);
    });

    it("is watched by the alert rules and left out of the chart's own app alerts", () => {
        const namespaces = `namespace=~"ingest|processing|api|web|fifth"`;
        const exprs = renderStack("prod", dir).rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
        assert.ok(exprs.some((expr) => expr.includes(namespaces)), `no rule selects ${namespaces}`);
        const values = one(run.resources, "kubernetes:helm.sh/v3:Release", "-monitoring-stack").inputs.values;
        assert.equal(values.defaultRules.appNamespacesTarget, "ingest|processing|api|web|fifth");
    });

    it("appears in the diagram with its flows, and the diagram stays well-formed", () => {
        assert.deepEqual(mermaidProblems(result.diagram), []);
        const lines = result.diagram.split("\n").map((l) => l.trim());
        assert.ok(lines.includes('app_fifth_app["fifth-app<br/>ns fifth, 2-3 pods"]'));
        assert.ok(lines.includes('stream -->|"GetRecords"| app_fifth_app'));
        assert.ok(lines.includes('app_web_app -->|"HTTP 8080"| app_fifth_app'));
    });
});
