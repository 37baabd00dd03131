import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimateMonthlyCost } from "../../policy/cost";
import { PRICE_TABLE } from "../../policy/pricing";
import { toAnalyzerViews } from "../../tools/check/collect";
import { renderJson, renderMarkdown, renderText } from "../../tools/check/report";
import { CheckSetupError, PACK_DIR, runCheck, shownPath } from "../../tools/check/run";
import { runPlatformProgram } from "../../tools/mockProgram";
import { PolicyPackProcess } from "../../tools/policy/analyzer";
import { PRICING_DAY, res, UNKNOWN } from "../policy/util";
import { stackPlaceholders } from "../../stacks/config/placeholders";
import { filledConfig, parseConfig, PROJECT_DIR, stackConfig, withConfig, writeStackFile } from "../util";

describe("offline check", function () {
    this.timeout(60000);
    let pack: PolicyPackProcess;
    let fixtures: string;

    before(async () => {
        pack = await PolicyPackProcess.start(PACK_DIR);
        fixtures = fs.mkdtempSync(path.join(os.tmpdir(), "iot-check-"));
        writeStackFile(fixtures, "too-many-nodes", withConfig("prod", "cluster", (c) => { c.value.nodes.max = 9; }));
        writeStackFile(fixtures, "bad-config", withConfig("prod", "data", (c) => { c.value.stream.retentionHours = 12; }));
        writeStackFile(fixtures, "qa", withConfig("prod", "environment", (c) => { c.value = "qa"; }));
        writeStackFile(fixtures, "prod-copy", stackConfig("prod"));
        fs.writeFileSync(path.join(fixtures, "negative-budget.json"), JSON.stringify({
            "environment-tag": { environment: "prod" },
            "monthly-budget": { region: "us-east-1", monthlyBudgetUsd: -100 },
        }));
    });

    after(() => {
        pack?.close();
        fs.rmSync(fixtures, { recursive: true, force: true });
    });

    for (const stack of ["prod", "staging"]) {
        it(`passes the shipped ${stack} stack against its own policy config`, async () => {
            const result = await runCheck({ stack }, pack);
            assert.equal(result.environment, stack);
            assert.equal(result.policyConfig, `policy/config/${stack}.json`);
            assert.deepEqual(result.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
            assert.ok(result.cost.estimate.worstCase.totalUsd <= result.cost.budgetUsd);
            assert.match(renderText(result), /Verdict: allowed/);
        });
    }

    it("lists every placeholder of a stack file as a config warning naming its key, and none once filled in", async () => {
        const isPlaceholder = (w: string) => /is a placeholder \(.*`pulumi up` refuses to start until it is replaced$/.test(w);
        const shipped = await runCheck({ stack: "prod" }, pack);
        const placeholders = shipped.configWarnings.filter(isPlaceholder);
        assert.equal(placeholders.length, stackPlaceholders(parseConfig(stackConfig("prod"))).length);
        assert.match(placeholders[0], /^iot-platform:cluster\.publicAccessCidrs\.0: "203\.0\.113\.0\/24" is a placeholder/);
        assert.deepEqual(shipped.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.match(renderText(shipped), /iot-platform:apps\.3\.tls\.certificateArn: .* is a placeholder/);
        assert.match(renderMarkdown(shipped), /- iot-platform:monitoring\.runbookBaseUrl: .* is a placeholder/);
        writeStackFile(fixtures, "filled", filledConfig("prod"));
        const filled = await runCheck({ stack: "filled", projectDir: fixtures }, pack);
        assert.deepEqual(filled.configWarnings.filter(isPlaceholder), []);
    });

    it("refuses a node group max above the environment's limit, naming the policy, the resource and the count", async () => {
        const result = await runCheck({ stack: "too-many-nodes", projectDir: fixtures }, pack);
        const capacity = result.violations.filter((v) => v.policy === "node-capacity" && v.enforcementLevel === "mandatory");
        assert.ok(capacity.length > 0, JSON.stringify(result.violations, null, 1));
        assert.equal(capacity[0].resource?.type, "eks:index:ManagedNodeGroup");
        assert.match(capacity.map((v) => v.message).join("\n"), /\b9\b/);
        assert.match(renderText(result), /Verdict: refused/);
    });

    it("refuses the staging policy config for the prod stack in one line, before running the program", async () => {
        const policyConfig = path.join(PACK_DIR, "config", "staging.json");
        await assert.rejects(runCheck({ stack: "prod", policyConfig }, pack), (err: Error) => {
            assert.ok(err instanceof CheckSetupError);
            assert.equal(err.message, `policy config ${policyConfig} is not valid for the pack:\n` +
                '  - environment-tag.environment: this config is for environment "staging", the stack is "prod" (iot-platform:environment); use policy/config/prod.json');
            return true;
        });
    });

    it("fails fast on an unknown policy name or enforcement level, naming the known policies, before the program runs", async () => {
        const policyConfig = path.join(fixtures, "misspelt.json");
        const doc = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "prod.json"), "utf8"));
        doc["node-capacty"] = doc["node-capacity"];
        delete doc["node-capacity"];
        doc["kms-key-rotation"] = "strict";
        fs.writeFileSync(policyConfig, JSON.stringify(doc));
        // The stack's own config is broken too: the policy config is reported, so the program never ran.
        await assert.rejects(runCheck({ stack: "bad-config", projectDir: fixtures, policyConfig }, pack), (err: Error) => {
            assert.ok(err instanceof CheckSetupError);
            assert.match(err.message, /- "node-capacty" is not a policy of this pack \(did you mean "node-capacity"\?\); known policies: environment-tag, monthly-budget, node-capacity, /);
            assert.match(err.message, /- Value "strict" for "kms-key-rotation" is not a valid enforcement level \(advisory, mandatory, remediate, disabled\)/);
            assert.doesNotMatch(err.message, /retentionHours/);
            return true;
        });
    });

    it("reports a stack config error as such, naming the key, before asking the pack anything", async () => {
        await assert.rejects(runCheck({ stack: "bad-config", projectDir: fixtures }, pack), (err: Error) => {
            assert.ok(err instanceof CheckSetupError);
            assert.match(err.message, /iot-platform:data\.stream\.retentionHours: must be from 48 to 8760 \(got 12\)/);
            return true;
        });
    });

    it("reports a policy config that fails the pack's schema", async () => {
        const policyConfig = path.join(fixtures, "negative-budget.json");
        await assert.rejects(runCheck({ stack: "prod", policyConfig }, pack), (err: Error) => {
            assert.ok(err instanceof CheckSetupError);
            assert.match(err.message, /is not valid for the pack/);
            assert.match(err.message, /Policy "monthly-budget": monthlyBudgetUsd must be >= 0, got -100/);
            return true;
        });
    });

    it("reports a stack file that is not valid YAML as such", async () => {
        fs.writeFileSync(path.join(fixtures, "Pulumi.broken.yaml"), "config:\n  iot-platform:network: [unclosed\n");
        await assert.rejects(runCheck({ stack: "broken", projectDir: fixtures }, pack), (err: Error) => {
            assert.ok(err instanceof CheckSetupError);
            assert.match(err.message, /^cannot read .*Pulumi\.broken\.yaml: /);
            return true;
        });
    });

    it("asks for a policy config when the environment has none", async () => {
        await assert.rejects(runCheck({ stack: "qa", projectDir: fixtures }, pack), /no policy config .*qa\.json for environment "qa"/);
    });

    it("prices the stack with the pack's own cost model", async () => {
        const result = await runCheck({ stack: "prod-copy", projectDir: fixtures }, pack);
        const views = await toAnalyzerViews((await runPlatformProgram(stackConfig("prod"))).resources);
        const direct = estimateMonthlyCost(views.states.map((r) => ({ ...r, props: r.properties as Record<string, any> })), PRICE_TABLE, "us-east-1", PRICING_DAY);
        assert.equal(result.cost.estimate.expected.totalUsd, direct.expected.totalUsd);
        assert.equal(result.cost.estimate.worstCase.totalUsd, direct.worstCase.totalUsd);
        assert.ok(direct.worstCase.totalUsd > direct.expected.totalUsd);
    });

    it("shows prod's compute cost against the seed's fleet, in every format", async () => {
        // given prod's costBaseline, 15 × t3.medium on demand = $455.52
        const result = await runCheck({ stack: "prod-copy", projectDir: fixtures }, pack);
        const b = result.cost.baseline!;
        // then 3 (max 6) × m6a.large + the EKS control plane: $262.22 (−42.4%), $451.43 worst case (−0.9%)
        assert.equal(b.baseline.totalUsd.toFixed(2), "455.52");
        assert.equal(b.compute.expectedUsd.toFixed(2), "262.22");
        assert.equal(b.differencePercent.expected.toFixed(1), "-42.4");
        assert.equal(b.differencePercent.worstCase.toFixed(1), "-0.9");
        assert.match(renderText(result), /\n {2}baseline: compute \(nodes \+ EKS control plane\) \$262\.22 expected \(−42\.4%\), \$451\.43 worst case \(−0\.9%\) against \$455\.52 for the Mesos\/DC-OS fleet it replaced, 15 x t3\.medium\n {4}15 x t3\.medium on demand {2}\$455\.52\n/);
        assert.match(renderMarkdown(result), /\n\| compute \(nodes \+ EKS control plane\) \| \$262\.22 \(−42\.4%\) \| \$451\.43 \(−0\.9%\) \| baseline \$455\.52: the Mesos\/DC-OS fleet it replaced, 15 x t3\.medium \|\n/);
        assert.equal(JSON.parse(renderJson(result)).cost.baseline.differencePercent.expected, b.differencePercent.expected);
        const shown = (doc: string) => doc.slice(doc.indexOf("Monthly cost (USD"), doc.indexOf("\nconfig warnings"));
        const docs = ["README.md", ...fs.readdirSync(path.join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]
            .filter((f) => fs.readFileSync(path.join(PROJECT_DIR, f), "utf8").includes("Monthly cost (USD"));
        assert.notDeepEqual(docs, [], "no document shows the cost block of `npm run check -- --stack prod`");
        for (const doc of docs) {
            assert.equal(shown(fs.readFileSync(path.join(PROJECT_DIR, doc), "utf8")), shown(renderText(result)),
                `${doc} shows stale cost figures: paste the cost block of \`npm run check -- --stack prod\``);
        }
    });

    it("writes JSON with the documented fields", async () => {
        const result = await runCheck({ stack: "prod-copy", projectDir: fixtures }, pack);
        const doc = JSON.parse(renderJson(result, true));
        assert.deepEqual(Object.keys(doc), ["schemaVersion", "stack", "environment", "policyConfig", "policyPack", "resources", "inventory", "cost", "configWarnings", "violations", "summary", "diagram"]);
        assert.deepEqual(Object.keys(doc.cost), ["region", "budgetUsd", "expected", "worstCase", "unpriced", "baseline"]);
        assert.deepEqual(Object.keys(doc.resources[0]).sort(), ["name", "parent", "type", "urn"].filter((k) => k in doc.resources[0]).sort());
        assert.equal(doc.summary.allowed, true);
        assert.equal(doc.resources.length, result.resources.length);
        assert.match(doc.diagram, /^flowchart LR/);
        assert.equal(doc.diagram, result.diagram);
        assert.match(renderMarkdown(result), /^### ✅ `prod-copy`: 0 mandatory/);
    });
});

describe("policy config path in the report", () => {
    it("is relative inside the project directory and absolute outside it, never ../../", () => {
        assert.equal(shownPath("/repo", "/repo/policy/config/prod.json"), "policy/config/prod.json");
        assert.equal(shownPath("/tmp/stacks", "/repo/policy/config/prod.json"), "/repo/policy/config/prod.json");
        assert.equal(shownPath("/repo", "/repo/..prod.json"), "..prod.json");
    });
});

describe("offline check report", () => {
    it("names the cost lines priced at a bound because an input is unknown", () => {
        const estimate = estimateMonthlyCost([res("aws:eks/cluster:Cluster", "c", { version: UNKNOWN })], PRICE_TABLE, "us-east-1", PRICING_DAY);
        const text = renderText({
            stack: "s", environment: "s", policyConfig: "p.json", policyPack: { name: "pack", version: "0" }, resources: [], inventory: [],
            cost: { region: "us-east-1", budgetUsd: 1000, estimate }, configWarnings: [], violations: [], diagram: "",
        });
        assert.match(text, /\n {2}bounded: c: EKS control plane \(standard; worst case extended support\) \(Kubernetes version unknown during preview: expected at the standard rate, worst case at the extended-support rate\)\n/);
    });
});
