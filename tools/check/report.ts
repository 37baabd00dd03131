/** Renders a check result as text for a terminal, Markdown for a pull request, JSON, or Mermaid. */
import { BaselineComparison } from "../../policy/baseline";
import { CostEstimate, CostLine } from "../../policy/cost";
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

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const percent = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toFixed(1)}%`;

/** One line: the stack's compute cost against the baseline, expected and worst case. */
export function baselineSummary(b: BaselineComparison): string {
    return `compute (nodes + EKS control plane) ${usd(b.compute.expectedUsd)} expected (${percent(b.differencePercent.expected)}), ` +
        `${usd(b.compute.worstCaseUsd)} worst case (${percent(b.differencePercent.worstCase)}) against ${usd(b.baseline.totalUsd)} for ${b.description}`;
}

/** Lines of both estimates merged by resource and item, largest worst case first. */
export function costRows(estimate: CostEstimate): { label: string; expected: number; worstCase: number }[] {
    const rows = new Map<string, { label: string; expected: number; worstCase: number }>();
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

export function renderText(result: CheckResult, topCostLines = 10): string {
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
    const rows = costRows(estimate);
    const width = Math.min(64, Math.max(20, ...rows.map((r) => r.label.length)));
    out.push(`  ${"".padEnd(width)}  ${"expected".padStart(12)}  ${"worst case".padStart(12)}`);
    rows.slice(0, topCostLines).forEach((r) => out.push(`  ${r.label.slice(0, width).padEnd(width)}  ${usd(r.expected).padStart(12)}  ${usd(r.worstCase).padStart(12)}`));
    if (rows.length > topCostLines) {
        const rest = rows.slice(topCostLines);
        const sum = (f: (r: (typeof rows)[number]) => number) => rest.reduce((s, r) => s + f(r), 0);
        out.push(`  ${`${rest.length} more lines`.padEnd(width)}  ${usd(sum((r) => r.expected)).padStart(12)}  ${usd(sum((r) => r.worstCase)).padStart(12)}`);
    }
    out.push(`  ${"total".padEnd(width)}  ${usd(estimate.expected.totalUsd).padStart(12)}  ${usd(estimate.worstCase.totalUsd).padStart(12)}`);
    out.push(`  ${"budget".padEnd(width)}  ${"".padStart(12)}  ${usd(budgetUsd).padStart(12)}  ${estimate.worstCase.totalUsd <= budgetUsd ? "within budget" : "OVER BUDGET"}`);
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
        found.forEach((v) => out.push(`  ${v.policy}  ${v.resource ? `${v.resource.type} ${v.resource.name}` : "(stack)"}\n      ${v.message.replace(/\n/g, "\n      ")}`));
    }
    out.push("");
    out.push(mandatoryCount(result) === 0 ? "Verdict: allowed (no mandatory violation)" : `Verdict: refused (${mandatoryCount(result)} mandatory violation(s))`);
    return out.join("\n");
}

export function renderMarkdown(result: CheckResult): string {
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
            `${usd(baseline.compute.worstCaseUsd)} (${percent(baseline.differencePercent.worstCase)}) | baseline ${usd(baseline.baseline.totalUsd)}: ${baseline.description.replace(/\|/g, "\\|")} |`);
    }
    out.push("");
    if (result.configWarnings.length > 0) {
        out.push(`Config warnings:`);
        result.configWarnings.forEach((w) => out.push(`- ${w}`));
        out.push("");
    }
    out.push(`<details><summary>${result.resources.length} resources, top cost lines</summary>`);
    out.push("");
    out.push(`| cost line | expected | worst case |`);
    out.push(`| --- | ---: | ---: |`);
    costRows(estimate).slice(0, 8).forEach((r) => out.push(`| ${r.label} | ${usd(r.expected)} | ${usd(r.worstCase)} |`));
    out.push("");
    out.push(`</details>`);
    if (result.violations.length > 0) {
        out.push("");
        out.push(`| level | policy | resource | message |`);
        out.push(`| --- | --- | --- | --- |`);
        result.violations.forEach((v) => out.push(`| ${v.enforcementLevel} | ${v.policy} | ${v.resource ? `\`${v.resource.name}\`` : "stack"} | ${v.message.replace(/\|/g, "\\|").replace(/\n/g, " ")} |`));
    }
    return out.join("\n");
}

export function renderJson(result: CheckResult, withDiagram = false): string {
    return JSON.stringify({
        stack: result.stack,
        environment: result.environment,
        policyConfig: result.policyConfig,
        policyPack: result.policyPack,
        resources: result.resources,
        inventory: result.inventory,
        cost: {
            region: result.cost.region,
            budgetUsd: result.cost.budgetUsd,
            expected: result.cost.estimate.expected,
            worstCase: result.cost.estimate.worstCase,
            unpriced: result.cost.estimate.unpriced,
            ...(result.cost.baseline ? { baseline: result.cost.baseline } : {}),
        },
        configWarnings: result.configWarnings,
        violations: result.violations,
        summary: {
            mandatory: mandatoryCount(result),
            advisory: result.violations.filter((v) => v.enforcementLevel === "advisory").length,
            allowed: mandatoryCount(result) === 0,
        },
        ...(withDiagram ? { diagram: result.diagram } : {}),
    }, null, 2);
}
