import { strict as assert } from "assert";
import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CostEstimate, estimateMonthlyCost } from "../../policy/cost";
import { PRICE_TABLE } from "../../policy/pricing";
import { CheckResult, CheckViolation, costRows, renderJson, renderMarkdown, renderText } from "../../tools/check/report";
import { PACK_DIR, runCheck } from "../../tools/check/run";
import { PolicyPackProcess } from "../../tools/policy/analyzer";
import { PRICING_DAY, res } from "../policy/util";
import { PROJECT_DIR, stackConfig, withConfig, writeStackFile } from "../util";

const SCHEMA = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "docs", "check-report.schema.json"), "utf8"));

/** A valid result without running a program: one priced cluster, no violations. */
function result(overrides: Partial<CheckResult> = {}, estimate: CostEstimate = clusterEstimate()): CheckResult {
    return {
        stack: "s", environment: "s", policyConfig: "policy/config/s.json", policyPack: { name: "pack", version: "0" }, resources: [], inventory: [],
        cost: { region: "us-east-1", budgetUsd: 1000, estimate }, configWarnings: [], violations: [], diagram: "", ...overrides,
    };
}

function clusterEstimate(): CostEstimate {
    return estimateMonthlyCost([res("aws:eks/cluster:Cluster", "c", { version: "1.34" })], PRICE_TABLE, "us-east-1", PRICING_DAY);
}

/** Twelve lines of different amounts, each with a long label whose end tells them apart. */
function twelveLines(): CostEstimate {
    const lines = Array.from({ length: 12 }, (_, i) => ({
        urn: `urn:pulumi:s::p::aws:ec2/natGateway:NatGateway::nat-${i}`, name: `iot-platform-prod-network-nat-${i}`, type: "aws:ec2/natGateway:NatGateway",
        item: `NAT gateway hours in availability zone number ${i} of the stack's network`, monthlyUsd: 100 + i,
    }));
    const estimate = { lines, totalUsd: lines.reduce((s, l) => s + l.monthlyUsd, 0) };
    return { expected: estimate, worstCase: estimate, unpriced: [] };
}

const probes = (n: number): CheckViolation[] => Array.from({ length: n }, (_, i) => ({
    policy: "k8s-workload-probes", enforcementLevel: "mandatory",
    resource: { type: "kubernetes:apps/v1:Deployment", name: `app-${i}`, urn: `urn:pulumi:s::p::kubernetes:apps/v1:Deployment::app-${i}` },
    message: `Deployment 'app-${i}': container 'app' has no livenessProbe.`,
}));

describe("check report", () => {
    describe("cost lines", () => {
        it("shows each label whole, however long", () => {
            const text = renderText(result({}, twelveLines()));
            for (const row of costRows(twelveLines()).slice(0, 10)) {
                assert.match(text, new RegExp(`\\n {2}${row.label.replace(/[.()']/g, "\\$&")} +\\$`));
            }
        });

        it("sums the lines past the tenth in one line, and shows every line with `all`", () => {
            const top = renderText(result({}, twelveLines()));
            assert.match(top, /\n {2}2 more lines +\$201\.00 +\$201\.00\n/);
            assert.doesNotMatch(top, /nat-0:/);
            const all = renderText(result({}, twelveLines()), { all: true });
            assert.doesNotMatch(all, /more lines/);
            assert.match(all, /\n {2}iot-platform-prod-network-nat-0: NAT gateway hours in availability zone number 0 of the stack's network +\$100\.00 +\$100\.00\n/);
            assert.match(all, /\n {2}total +\$1,266\.00 +\$1,266\.00\n/);
        });

        it("shows the top eight lines in Markdown and the rest summed, every line with `all`", () => {
            const top = renderMarkdown(result({}, twelveLines()));
            assert.equal(top.match(/^\| iot-platform-prod-network-nat-/gm)?.length, 8);
            assert.match(top, /\n\| 4 more lines \| \$406\.00 \| \$406\.00 \|\n/);
            const all = renderMarkdown(result({}, twelveLines()), { all: true });
            assert.equal(all.match(/^\| iot-platform-prod-network-nat-/gm)?.length, 12);
            assert.doesNotMatch(all, /more lines/);
        });
    });

    describe("violations in Markdown", () => {
        it("collapses fifty violations of one policy into one block: the count, five resources and how many more", () => {
            const md = renderMarkdown(result({ violations: probes(50) }));
            assert.equal(md.match(/<details>/g)?.length, 2, "the cost lines' block and one for the policy");
            assert.match(md, /\n<details><summary>❌ <code>k8s-workload-probes<\/code> \(mandatory\): 50 violations<\/summary>\n\n\| resource \| message \|\n\| --- \| --- \|\n\| `app-0` \| Deployment 'app-0': container 'app' has no livenessProbe\. \|\n/);
            assert.equal(md.match(/^\| `app-\d+` \|/gm)?.length, 5);
            assert.match(md, /\n…and 45 more \(every one in the check's text or JSON output\)\n\n<\/details>$/);
            assert.ok(md.length < 2000, `${md.length} characters`);
        });

        it("gives each policy and level its own block, mandatory first, with no \"more\" when all are shown", () => {
            const stackLevel: CheckViolation = { policy: "node-capacity", enforcementLevel: "mandatory", message: "Node groups can scale to 9 nodes in total." };
            const advisory: CheckViolation = { ...probes(1)[0], policy: "k8s-topology-spread", enforcementLevel: "advisory", message: "3 replicas | no spread" };
            const md = renderMarkdown(result({ violations: [advisory, ...probes(2), stackLevel] }));
            const summaries = [...md.matchAll(/<summary>(.*)<\/summary>/g)].map((m) => m[1]).slice(1);
            assert.deepEqual(summaries, [
                "❌ <code>k8s-workload-probes</code> (mandatory): 2 violations",
                "❌ <code>node-capacity</code> (mandatory): 1 violation",
                "⚠️ <code>k8s-topology-spread</code> (advisory): 1 violation",
            ]);
            assert.match(md, /\n\| stack \| Node groups can scale to 9 nodes in total\. \|\n/);
            assert.match(md, /\n\| `app-0` \| 3 replicas \\\| no spread \|\n/);
            assert.doesNotMatch(md, /more \(/);
            assert.match(md, /\n<\/details>\n\n<details><summary>❌ <code>node-capacity<\/code>/);
        });
    });

    it("names the policy config file a limit is set in, in every format", () => {
        const violation: CheckViolation = {
            policy: "monthly-budget", enforcementLevel: "mandatory",
            message: "Worst-case monthly cost $1,900.00 exceeds the budget of $1,700.00 (limit: policy config → monthly-budget.monthlyBudgetUsd); expected $900.00.",
        };
        const r = result({ policyConfig: "policy/config/prod.json", violations: [violation] });
        const sourced = "(limit: policy/config/prod.json → monthly-budget.monthlyBudgetUsd)";
        assert.ok(renderText(r).includes(`\n      Worst-case monthly cost $1,900.00 exceeds the budget of $1,700.00 ${sourced}; expected $900.00.\n`));
        assert.ok(renderMarkdown(r).includes(sourced));
        assert.equal(JSON.parse(renderJson(r)).violations[0].message, violation.message.replace("(limit: policy config → ", "(limit: policy/config/prod.json → "));
    });

    it("rounds money in JSON to cents", () => {
        const estimate = clusterEstimate();
        estimate.expected.lines[0].monthlyUsd = 73.004999;
        estimate.worstCase.totalUsd = 1562.9666;
        const doc = JSON.parse(renderJson(result({ cost: { region: "us-east-1", budgetUsd: 1700.001, estimate } }, estimate)));
        assert.equal(doc.cost.expected.lines[0].monthlyUsd, 73);
        assert.equal(doc.cost.worstCase.totalUsd, 1562.97);
        assert.equal(doc.cost.budgetUsd, 1700);
    });
});

describe("check report JSON against docs/check-report.schema.json", function () {
    this.timeout(60000);
    let pack: PolicyPackProcess;
    let fixtures: string;
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(SCHEMA);
    // A plain boolean: Ajv's type guard would narrow the parsed document to `unknown`.
    const valid = (doc: unknown): boolean => validate(doc);
    const problems = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("\n");

    before(async () => {
        pack = await PolicyPackProcess.start(PACK_DIR);
        fixtures = fs.mkdtempSync(path.join(os.tmpdir(), "iot-report-"));
        writeStackFile(fixtures, "prod-copy", stackConfig("prod"));
        writeStackFile(fixtures, "too-many-nodes", withConfig("prod", "cluster", (c) => { c.value.nodes.max = 9; }));
    });

    after(() => {
        pack?.close();
        fs.rmSync(fixtures, { recursive: true, force: true });
    });

    it("describes the prod stack's document, schemaVersion first, every amount in cents", async () => {
        const doc = JSON.parse(renderJson(await runCheck({ stack: "prod-copy", projectDir: fixtures }, pack), true));
        assert.ok(valid(doc), problems());
        assert.equal(Object.keys(doc)[0], "schemaVersion");
        const amounts = [doc.cost.budgetUsd, doc.cost.expected.totalUsd, doc.cost.worstCase.totalUsd, doc.cost.baseline.baseline.totalUsd,
            ...[...doc.cost.expected.lines, ...doc.cost.worstCase.lines, ...doc.cost.baseline.baseline.lines].map((l: { monthlyUsd: number }) => l.monthlyUsd)];
        assert.deepEqual(amounts.filter((n: number) => Math.round(n * 100) / 100 !== n), []);
        assert.equal(doc.cost.worstCase.totalUsd, 1562.97);
    });

    it("describes a refused stack's violations, whose limits name the policy config file", async () => {
        const result = await runCheck({ stack: "too-many-nodes", projectDir: fixtures }, pack);
        const doc = JSON.parse(renderJson(result));
        assert.ok(valid(doc), problems());
        assert.equal(doc.summary.allowed, false);
        const perGroup = doc.violations.find((v: CheckViolation) => v.policy === "node-capacity" && v.resource !== undefined);
        // The file as the report names it everywhere: relative to the project directory (here a temporary one).
        assert.match(result.policyConfig, /policy\/config\/prod\.json$/);
        assert.ok(perGroup.message.endsWith(` can scale to 9 nodes; the limit per node group is 6 (limit: ${result.policyConfig} → node-capacity.maxNodesPerGroup).`), perGroup.message);
    });

    it("is refused by the schema when a field changes shape", async () => {
        const doc = JSON.parse(renderJson(result()));
        assert.ok(valid(doc), problems());
        doc.cost.budgetUsd = "1700";
        assert.equal(valid(doc), false);
        assert.equal(problems(), "/cost/budgetUsd must be number");
    });
});
