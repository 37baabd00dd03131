/** The cost comparison: from a valid baseline, change one thing and assert exactly what the reader sees. */
import { strict as assert } from "assert";
import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import * as path from "path";
import { CheckReportJson, compareReports, headline, parseCheckReport, renderComparisonMarkdown, renderComparisonText } from "../../tools/check/compare";

const NODES = "urn:pulumi:prod::iot-platform::eks:index:ManagedNodeGroup::nodes";
const NAT = "urn:pulumi:prod::iot-platform::aws:ec2/natGateway:NatGateway::nat-a";
const BUCKET = "urn:pulumi:prod::iot-platform::aws:s3/bucketV2:BucketV2::lake";

interface Line { urn: string; name: string; item: string; expected: number; worstCase: number }

const BASE_LINES: Line[] = [
    { urn: NODES, name: "nodes", item: "m5.2xlarge x 3 (max 4)", expected: 841.0, worstCase: 1121.33 },
    { urn: NAT, name: "nat-a", item: "NAT gateway hours", expected: 32.85, worstCase: 32.85 },
];

function report(lines: Line[], opts: { budgetUsd?: number | null; unpriced?: string[] } = {}): CheckReportJson {
    const sum = (k: "expected" | "worstCase") => lines.reduce((s, l) => s + l[k], 0);
    const resources = [NODES, NAT, BUCKET].map((urn) => ({ urn, type: urn.split("::")[2], name: urn.split("::")[3] }));
    return {
        stack: "prod",
        resources,
        cost: {
            budgetUsd: opts.budgetUsd === undefined ? 1700 : opts.budgetUsd,
            expected: { totalUsd: sum("expected"), lines: lines.map((l) => ({ urn: l.urn, name: l.name, item: l.item, monthlyUsd: l.expected })) },
            worstCase: { totalUsd: sum("worstCase"), lines: lines.map((l) => ({ urn: l.urn, name: l.name, item: l.item, monthlyUsd: l.worstCase })) },
            unpriced: (opts.unpriced ?? []).map((urn) => ({ urn })),
        },
    };
}

const BASELINE = report(BASE_LINES);

// The report's schema with no field required: checks a `comparison` field on its own.
const SCHEMA = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "check-report.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile({ ...SCHEMA, required: [] });
const schemaProblems = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe("cost comparison against a baseline", () => {
    it("reports no change against itself", () => {
        const c = compareReports(BASELINE, BASELINE, "base.json");
        assert.equal(headline(c), "Worst case $1,154.18, no change, 68% of budget");
        assert.deepEqual(c.lines, []);
        assert.match(renderComparisonMarkdown(c), /\nNo cost line changed\.$/);
    });

    it("leads with the worst-case change and shows the one line that moved", () => {
        const grown = report([{ ...BASE_LINES[0], item: "m5.2xlarge x 3 (max 5)", worstCase: 1401.66 }, BASE_LINES[1]]);
        const c = compareReports(BASELINE, grown, "main (1a2b3c4d)");
        assert.equal(headline(c), "Worst case +$280.33 (+24%), 84% of budget");
        assert.deepEqual(c.expected, { baselineUsd: 873.85, newUsd: 873.85, differenceUsd: 0, differencePercent: 0 });
        assert.deepEqual(c.worstCase, { baselineUsd: 1154.18, newUsd: 1434.51, differenceUsd: 280.33, differencePercent: 24.3 });
        assert.deepEqual(c.budgetPercent, { baseline: 67.9, new: 84.4 });
        const md = renderComparisonMarkdown(c).split("\n");
        assert.equal(md[0], "### `prod`: Worst case +$280.33 (+24%), 84% of budget");
        assert.equal(md[2], "Against `main (1a2b3c4d)`.");
        assert.ok(md.includes("| worst case | $1,154.18 | $1,434.51 | +$280.33 (+24%) |"), md.join("\n"));
        assert.ok(md.includes("| budget | | $1,700.00 | worst case uses 84% (was 68%) |"), md.join("\n"));
        assert.ok(md.includes("| nodes: m5.2xlarge x 3 (max 5) (was m5.2xlarge x 3 (max 4)) | $841.00 | $1,121.33 → $1,401.66 |"), md.join("\n"));
        assert.equal(c.lines.length, 1);
        assert.deepEqual(schemaProblems({ comparison: c }), []);
    });

    it("shows an added and a removed line with their amounts, largest move first", () => {
        const changed = report([BASE_LINES[0], { urn: BUCKET, name: "lake", item: "S3 Standard 100 GB-month", expected: 2.3, worstCase: 2.3 }]);
        const c = compareReports(BASELINE, changed, "base.json");
        assert.deepEqual(c.lines.map((l) => [l.change, l.label]), [["removed", "nat-a: NAT gateway hours"], ["added", "lake: S3 Standard 100 GB-month"]]);
        const text = renderComparisonText(c).split("\n");
        assert.ok(text.includes("    nat-a: NAT gateway hours: expected removed $32.85, worst case removed $32.85"), text.join("\n"));
        assert.ok(text.includes("    lake: S3 Standard 100 GB-month: expected added $2.30, worst case added $2.30"), text.join("\n"));
        assert.equal(c.worstCase.differenceUsd, -30.55);
        assert.equal(headline(c), "Worst case -$30.55 (-2.6%), 66% of budget");
        assert.deepEqual(schemaProblems({ comparison: c }), []);
    });

    it("is described by docs/check-report.schema.json, which refuses a line of another kind", () => {
        const c = compareReports(BASELINE, report(BASE_LINES.slice(0, 1)), "base.json");
        assert.deepEqual(schemaProblems({ comparison: c }), []);
        assert.deepEqual(schemaProblems({ comparison: { ...c, lines: [{ ...c.lines[0], change: "moved" }] } }), ["/comparison/lines/0/change must be equal to one of the allowed values"]);
    });

    it("shows which side of the budget a worst case within a point of it is on", () => {
        const justUnder = report([{ ...BASE_LINES[0], worstCase: 1664.0 }, BASE_LINES[1]]);
        assert.equal(headline(compareReports(BASELINE, justUnder, "base.json")), "Worst case +$542.67 (+47%), 99.8% of budget");
        const justOver = report([{ ...BASE_LINES[0], worstCase: 1670.0 }, BASE_LINES[1]]);
        assert.equal(headline(compareReports(BASELINE, justOver, "base.json")), "Worst case +$548.67 (+48%), 100.2% of budget");
    });

    it("counts priced, free and unpriced resources as Infracost does", () => {
        const c = compareReports(BASELINE, report(BASE_LINES, { unpriced: [BUCKET] }), "base.json");
        assert.deepEqual(c.resources.baseline, { total: 3, priced: 2, free: 1, unpriced: 0 });
        assert.deepEqual(c.resources.new, { total: 3, priced: 2, free: 0, unpriced: 1 });
    });

    it("says so when no budget is set instead of a share of it", () => {
        const c = compareReports(BASELINE, report(BASE_LINES, { budgetUsd: null }), "base.json");
        assert.equal(headline(c), "Worst case $1,154.18, no change, no budget set");
        assert.doesNotMatch(renderComparisonMarkdown(c), /\| budget \|/);
        assert.deepEqual(schemaProblems({ comparison: c }), []);
    });

    it("treats a move under a cent as no change", () => {
        const c = compareReports(BASELINE, report([{ ...BASE_LINES[0], worstCase: 1121.334 }, BASE_LINES[1]]), "base.json");
        assert.deepEqual(c.lines, []);
        assert.equal(c.worstCase.differenceUsd, 0);
    });
});

describe("reading a baseline report", () => {
    it("accepts a report written with --json", () => {
        assert.equal(parseCheckReport(JSON.stringify(BASELINE), "base.json").stack, "prod");
    });

    it("names every field a file lacks", () => {
        const broken = JSON.parse(JSON.stringify(BASELINE));
        delete broken.cost.worstCase.totalUsd;
        broken.cost.budgetUsd = "1700";
        assert.throws(() => parseCheckReport(JSON.stringify(broken), "base.json"), {
            message: "base.json is not a check report written with --json:\n  - cost.budgetUsd must be a number or null\n  - cost.worstCase.totalUsd must be a number",
        });
    });

    it("says a file is not JSON", () => {
        assert.throws(() => parseCheckReport("warning: npm banner\n{}", "base.json"), /^Error: base\.json is not JSON \(.*\); write a baseline with --json$/);
    });
});
