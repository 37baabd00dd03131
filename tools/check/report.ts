/** Renders a check result as text for a terminal, Markdown for a pull request, JSON, or Mermaid. */
import { BaselineComparison } from "../../policy/baseline";
import { CostEstimate, CostLine, Estimate } from "../../policy/cost";
import { POLICY_CONFIG_SOURCE } from "../../policy/lib/limits";
import { formatUsd as usd, roundCents } from "../../policy/lib/money";
import { EnforcementLevel } from "../policy/analyzer";

export interface InventoryGroup {
    /** The top-level component (`type name`), or "(top level)". */
    readonly component: string;
    readonly counts: Record<string, number>;
    readonly total: number;
}

export interface CheckViolation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly resource?: { readonly type: string; readonly name: string; readonly urn: string };
    readonly message: string;
}

export interface CheckResult {
    readonly stack: string;
    readonly environment: string;
    readonly policyConfig: string;
    readonly policyPack: { readonly name: string; readonly version: string };
    readonly resources: readonly { type: string; name: string; urn: string; parent?: string }[];
    readonly inventory: readonly InventoryGroup[];
    readonly cost: {
        readonly region: string;
        readonly budgetUsd: number;
        readonly estimate: CostEstimate;
        /** The stack's compute cost against the stack file's `costBaseline`, when it declares one. */
        readonly baseline?: BaselineComparison;
    };
    /** The stack configuration's warnings (full keys), e.g. image architectures unknown on arm64 nodes. */
    readonly configWarnings: readonly string[];
    readonly violations: readonly CheckViolation[];
    /** Mermaid flowchart of the components, their key resources and the data flow. */
    readonly diagram: string;
}

export function mandatoryCount(result: CheckResult): number {
    return result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
}

/** How much of the cost breakdown a report shows. */
export interface RenderOptions {
    /** Every cost line instead of the largest ones and a "N more lines" sum (`--all`). */
    readonly all?: boolean;
}

/** Cost lines the text report shows without `all`; the Markdown comment shows fewer, being read in a review. */
const TEXT_COST_LINES = 10;
const MARKDOWN_COST_LINES = 8;
/** Resources a Markdown comment lists per policy before "…and N more". */
const MARKDOWN_RESOURCES_PER_POLICY = 5;

/** The JSON document's layout version: bumped when a field is removed, renamed or changes meaning. */
export const JSON_SCHEMA_VERSION = 1;

const percent = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toFixed(1)}%`;

/** One line: the stack's compute cost against the baseline, expected and worst case. */
export function baselineSummary(b: BaselineComparison): string {
    return `compute (nodes + EKS control plane) ${usd(b.compute.expectedUsd)} expected (${percent(b.differencePercent.expected)}), ` +
        `${usd(b.compute.worstCaseUsd)} worst case (${percent(b.differencePercent.worstCase)}) against ${usd(b.baseline.totalUsd)} for ${b.description}`;
}

/**
 * The message with the policy config file in place of the "policy config" the pack names, which
 * cannot know the file: "(limit: policy/config/prod.json → monthly-budget.monthlyBudgetUsd)".
 */
export function withLimitSource(message: string, policyConfig: string): string {
    return message.split(`(limit: ${POLICY_CONFIG_SOURCE} → `).join(`(limit: ${policyConfig} → `);
}

export interface CostRow { label: string; expected: number; worstCase: number }

/** Lines of both estimates merged by resource and item, largest worst case first. */
export function costRows(estimate: CostEstimate): CostRow[] {
    const rows = new Map<string, CostRow>();
    const key = (l: CostLine) => `${l.urn}|${l.item}`;
    for (const l of estimate.expected.lines) {
        rows.set(key(l), { label: `${l.name}: ${l.item}`, expected: l.monthlyUsd, worstCase: 0 });
    }
    for (const l of estimate.worstCase.lines) {
        const row = rows.get(key(l)) ?? { label: `${l.name}: ${l.item}`, expected: 0, worstCase: 0 };
        row.worstCase += l.monthlyUsd;
        rows.set(key(l), row);
    }
    return [...rows.values()].sort((a, b) => b.worstCase - a.worstCase);
}

/** The rows a report shows: all of them, or the first `top` and the sum of the rest. */
function shownCostRows(estimate: CostEstimate, top: number, options: RenderOptions): { shown: CostRow[]; rest?: CostRow } {
    const rows = costRows(estimate);
    if (options.all || rows.length <= top) {
        return { shown: rows };
    }
    const others = rows.slice(top);
    return {
        shown: rows.slice(0, top),
        rest: {
            label: `${others.length} more lines`,
            expected: others.reduce((sum, r) => sum + r.expected, 0),
            worstCase: others.reduce((sum, r) => sum + r.worstCase, 0),
        },
    };
}

export function renderText(result: CheckResult, options: RenderOptions = {}): string {
    const out: string[] = [];
    out.push(`Stack ${result.stack} (environment ${result.environment}), policy pack ${result.policyPack.name} ${result.policyPack.version}, config ${result.policyConfig}`);
    out.push("");
    out.push(`Resources: ${result.resources.length}`);
    for (const group of result.inventory) {
        out.push(`  ${group.component}  (${group.total})`);
        Object.entries(group.counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).forEach(([type, n]) => out.push(`    ${String(n).padStart(3)}  ${type}`));
    }
    out.push("");
    const { estimate, region, budgetUsd } = result.cost;
    out.push(`Monthly cost (USD, ${region} list prices)`);
    const { shown, rest } = shownCostRows(estimate, TEXT_COST_LINES, options);
    const rows = rest ? [...shown, rest] : shown;
    // The label column is as wide as the longest label shown: a cut label would drop what the line prices.
    const width = Math.max(20, ...rows.map((r) => r.label.length));
    const row = (label: string, expected: string, worstCase: string) => `  ${label.padEnd(width)}  ${expected.padStart(12)}  ${worstCase.padStart(12)}`;
    out.push(row("", "expected", "worst case"));
    rows.forEach((r) => out.push(row(r.label, usd(r.expected), usd(r.worstCase))));
    out.push(row("total", usd(estimate.expected.totalUsd), usd(estimate.worstCase.totalUsd)));
    out.push(`${row("budget", "", usd(budgetUsd))}  ${estimate.worstCase.totalUsd <= budgetUsd ? "within budget" : "OVER BUDGET"}`);
    estimate.worstCase.lines.filter((l) => l.bound !== undefined).forEach((l) => out.push(`  bounded: ${l.name}: ${l.item} (${l.bound})`));
    estimate.unpriced.forEach((p) => out.push(`  unpriced: ${p.message}`));
    if (result.cost.baseline) {
        out.push(`  baseline: ${baselineSummary(result.cost.baseline)}`);
        result.cost.baseline.baseline.lines.forEach((l) => out.push(`    ${l.item}  ${usd(l.monthlyUsd)}`));
    }
    out.push("");
    if (result.configWarnings.length > 0) {
        out.push(`config warnings: ${result.configWarnings.length}`);
        result.configWarnings.forEach((w) => out.push(`  ${w}`));
        out.push("");
    }
    for (const level of ["mandatory", "advisory"] as const) {
        const found = result.violations.filter((v) => v.enforcementLevel === level);
        out.push(`${level} violations: ${found.length}`);
        found.forEach((v) => out.push(`  ${v.policy}  ${v.resource ? `${v.resource.type} ${v.resource.name}` : "(stack)"}\n      ${withLimitSource(v.message, result.policyConfig).replace(/\n/g, "\n      ")}`));
    }
    out.push("");
    out.push(mandatoryCount(result) === 0 ? "Verdict: allowed (no mandatory violation)" : `Verdict: refused (${mandatoryCount(result)} mandatory violation(s))`);
    return out.join("\n");
}

/** Text for a Markdown table cell or an HTML element: no row or column breaks, no markup. */
const cell = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * One collapsed block per policy and level, mandatory first: the count, the first resources with
 * their messages and "…and N more", so fifty resources sharing one problem take a few lines.
 */
function violationGroups(result: CheckResult): string[] {
    const groups = new Map<string, CheckViolation[]>();
    for (const level of ["mandatory", "advisory"] as const) {
        for (const v of result.violations.filter((x) => x.enforcementLevel === level)) {
            const key = `${level}|${v.policy}`;
            groups.set(key, [...(groups.get(key) ?? []), v]);
        }
    }
    const out: string[] = [];
    for (const found of groups.values()) {
        const { policy, enforcementLevel } = found[0];
        if (out.length > 0) {
            out.push("");
        }
        out.push(`<details><summary>${enforcementLevel === "mandatory" ? "❌" : "⚠️"} <code>${policy}</code> (${enforcementLevel}): ${found.length} violation${found.length === 1 ? "" : "s"}</summary>`);
        out.push("");
        out.push(`| resource | message |`);
        out.push(`| --- | --- |`);
        found.slice(0, MARKDOWN_RESOURCES_PER_POLICY).forEach((v) =>
            out.push(`| ${v.resource ? `\`${v.resource.name}\`` : "stack"} | ${cell(withLimitSource(v.message, result.policyConfig))} |`));
        if (found.length > MARKDOWN_RESOURCES_PER_POLICY) {
            out.push("");
            out.push(`…and ${found.length - MARKDOWN_RESOURCES_PER_POLICY} more (every one in the check's text or JSON output)`);
        }
        out.push("");
        out.push(`</details>`);
    }
    return out;
}

export function renderMarkdown(result: CheckResult, options: RenderOptions = {}): string {
    const { estimate, budgetUsd, region } = result.cost;
    const mandatory = mandatoryCount(result);
    const out: string[] = [];
    out.push(`### ${mandatory === 0 ? "✅" : "❌"} \`${result.stack}\`: ${mandatory} mandatory, ${result.violations.length - mandatory} advisory violation(s)`);
    out.push("");
    out.push(`| | expected | worst case | budget |`);
    out.push(`| --- | ---: | ---: | ---: |`);
    out.push(`| monthly cost (${region}) | ${usd(estimate.expected.totalUsd)} | ${usd(estimate.worstCase.totalUsd)} | ${usd(budgetUsd)} |`);
    const baseline = result.cost.baseline;
    if (baseline) {
        out.push(`| compute (nodes + EKS control plane) | ${usd(baseline.compute.expectedUsd)} (${percent(baseline.differencePercent.expected)}) | ` +
            `${usd(baseline.compute.worstCaseUsd)} (${percent(baseline.differencePercent.worstCase)}) | baseline ${usd(baseline.baseline.totalUsd)}: ${cell(baseline.description)} |`);
    }
    out.push("");
    if (result.configWarnings.length > 0) {
        out.push(`Config warnings:`);
        result.configWarnings.forEach((w) => out.push(`- ${w}`));
        out.push("");
    }
    const { shown, rest } = shownCostRows(estimate, MARKDOWN_COST_LINES, options);
    out.push(`<details><summary>${result.resources.length} resources, ${rest ? "top cost lines" : "cost lines"}</summary>`);
    out.push("");
    out.push(`| cost line | expected | worst case |`);
    out.push(`| --- | ---: | ---: |`);
    shown.forEach((r) => out.push(`| ${cell(r.label)} | ${usd(r.expected)} | ${usd(r.worstCase)} |`));
    if (rest) {
        out.push(`| ${rest.label} | ${usd(rest.expected)} | ${usd(rest.worstCase)} |`);
    }
    out.push("");
    out.push(`</details>`);
    if (result.violations.length > 0) {
        out.push("");
        out.push(...violationGroups(result));
    }
    return out.join("\n");
}

/** Money in the JSON document is rounded to cents, as every report prints it. */
const roundedEstimate = (e: Estimate): Estimate => ({
    lines: e.lines.map((l) => ({ ...l, monthlyUsd: roundCents(l.monthlyUsd) })),
    totalUsd: roundCents(e.totalUsd),
});

function roundedBaseline(b: BaselineComparison): BaselineComparison {
    return {
        ...b,
        baseline: { lines: b.baseline.lines.map((l) => ({ ...l, monthlyUsd: roundCents(l.monthlyUsd) })), totalUsd: roundCents(b.baseline.totalUsd) },
        compute: { expectedUsd: roundCents(b.compute.expectedUsd), worstCaseUsd: roundCents(b.compute.worstCaseUsd) },
    };
}

/** The `--json` document; docs/check-report.schema.json describes it. */
export function renderJson(result: CheckResult, withDiagram = false): string {
    return JSON.stringify({
        schemaVersion: JSON_SCHEMA_VERSION,
        stack: result.stack,
        environment: result.environment,
        policyConfig: result.policyConfig,
        policyPack: result.policyPack,
        resources: result.resources,
        inventory: result.inventory,
        cost: {
            region: result.cost.region,
            budgetUsd: roundCents(result.cost.budgetUsd),
            expected: roundedEstimate(result.cost.estimate.expected),
            worstCase: roundedEstimate(result.cost.estimate.worstCase),
            unpriced: result.cost.estimate.unpriced,
            ...(result.cost.baseline ? { baseline: roundedBaseline(result.cost.baseline) } : {}),
        },
        configWarnings: result.configWarnings,
        violations: result.violations.map((v) => ({ ...v, message: withLimitSource(v.message, result.policyConfig) })),
        summary: {
            mandatory: mandatoryCount(result),
            advisory: result.violations.filter((v) => v.enforcementLevel === "advisory").length,
            allowed: mandatoryCount(result) === 0,
        },
        ...(withDiagram ? { diagram: result.diagram } : {}),
    }, null, 2);
}
