/**
 * The cost change of a stack against a baseline: two check reports in their JSON form (the baseline
 * usually from the pull request's base commit), compared the way Infracost's comment shows a change:
 * totals before and after, the difference, the share of the budget, and only the cost lines that moved.
 */
import { formatUsd, roundCents } from "../../policy/lib/money";

/** The fields of `--json` output a comparison reads; reports of older commits have them too. */
export interface CheckReportJson {
    readonly stack: string;
    readonly resources: readonly { readonly urn: string; readonly type: string; readonly name: string }[];
    readonly cost: {
        /** `null` when the policy config sets no budget (JSON has no NaN). */
        readonly budgetUsd: number | null;
        readonly expected: ReportEstimate;
        readonly worstCase: ReportEstimate;
        readonly unpriced: readonly { readonly urn: string }[];
    };
}

interface ReportEstimate {
    readonly totalUsd: number;
    readonly lines: readonly { readonly urn: string; readonly name: string; readonly item: string; readonly monthlyUsd: number }[];
}

export interface TotalChange {
    readonly baselineUsd: number;
    readonly newUsd: number;
    readonly differenceUsd: number;
    /** `null` when the baseline is zero. */
    readonly differencePercent: number | null;
}

export interface CostLineChange {
    readonly label: string;
    readonly urn: string;
    readonly item: string;
    readonly change: "changed" | "added" | "removed";
    /** Monthly USD before and after; `null` on the side where the line does not exist. */
    readonly expected: { readonly baselineUsd: number | null; readonly newUsd: number | null };
    readonly worstCase: { readonly baselineUsd: number | null; readonly newUsd: number | null };
}

/** Infracost's split: resources with a price, resources that cost nothing, resources that cost money but could not be priced. */
export interface ResourceCounts {
    readonly total: number;
    readonly priced: number;
    readonly free: number;
    readonly unpriced: number;
}

export interface CostComparison {
    readonly stack: string;
    readonly budgetUsd: number | null;
    readonly expected: TotalChange;
    readonly worstCase: TotalChange;
    /** Worst case as a percentage of the budget, before and after; `null` without a budget. */
    readonly budgetPercent: { readonly baseline: number | null; readonly new: number | null };
    /** Only the lines whose expected or worst-case figure moved by a cent or more, largest move first. */
    readonly lines: readonly CostLineChange[];
    readonly resources: { readonly baseline: ResourceCounts; readonly new: ResourceCounts };
}

/** Reads a `--json` report, or throws an Error saying what is wrong with it. */
export function parseCheckReport(text: string, file: string): CheckReportJson {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new Error(`${file} is not JSON (${(err as Error).message}); write a baseline with --json`, { cause: err });
    }
    const at = (path: string): unknown => path.split(".").reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), doc);
    const problems: string[] = [];
    const expect = (path: string, ok: (v: unknown) => boolean, what: string) => {
        if (!ok(at(path))) {
            problems.push(`${path} must be ${what}`);
        }
    };
    const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
    const isLines = (v: unknown) => Array.isArray(v) && v.every((l) => isObject(l) && typeof l.urn === "string" && typeof l.name === "string" &&
        typeof l.item === "string" && isNumber(l.monthlyUsd));
    expect("stack", (v) => typeof v === "string", "a stack name");
    expect("resources", (v) => Array.isArray(v) && v.every((r) => isObject(r) && typeof r.urn === "string" && typeof r.type === "string"), "a list of resources with urn and type");
    expect("cost.budgetUsd", (v) => v === null || isNumber(v), "a number or null");
    for (const estimate of ["expected", "worstCase"]) {
        expect(`cost.${estimate}.totalUsd`, isNumber, "a number");
        expect(`cost.${estimate}.lines`, isLines, "a list of cost lines (urn, name, item, monthlyUsd)");
    }
    expect("cost.unpriced", (v) => Array.isArray(v) && v.every((p) => isObject(p) && typeof p.urn === "string"), "a list of resources with urn");
    if (problems.length > 0) {
        throw new Error(`${file} is not a check report written with --json:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return doc as CheckReportJson;
}

export function compareReports(baseline: CheckReportJson, current: CheckReportJson): CostComparison {
    const budget = current.cost.budgetUsd;
    const share = (worstCase: number) => (budget === null || budget <= 0 ? null : tenths((worstCase / budget) * 100));
    return {
        stack: current.stack,
        budgetUsd: budget === null ? null : roundCents(budget),
        expected: totalChange(baseline.cost.expected.totalUsd, current.cost.expected.totalUsd),
        worstCase: totalChange(baseline.cost.worstCase.totalUsd, current.cost.worstCase.totalUsd),
        budgetPercent: { baseline: share(baseline.cost.worstCase.totalUsd), new: share(current.cost.worstCase.totalUsd) },
        lines: lineChanges(baseline, current),
        resources: { baseline: resourceCounts(baseline), new: resourceCounts(current) },
    };
}

/** A resource counts as priced when it has a cost line, unpriced when the estimate names it, free otherwise. */
export function resourceCounts(report: CheckReportJson): ResourceCounts {
    const priced = new Set([...report.cost.expected.lines, ...report.cost.worstCase.lines].map((l) => l.urn));
    const unpriced = new Set(report.cost.unpriced.map((p) => p.urn).filter((urn) => !priced.has(urn)));
    const total = report.resources.length;
    return { total, priced: priced.size, unpriced: unpriced.size, free: total - priced.size - unpriced.size };
}

/** The one-line summary a reviewer reads first: "Worst case +$222.24 (+14%), 107% of budget". */
export function headline(c: CostComparison): string {
    const change = c.worstCase.differenceUsd === 0 ? `${formatUsd(c.worstCase.newUsd)}, no change` : `${signedUsd(c.worstCase.differenceUsd)} (${signedPercent(c.worstCase.differencePercent)})`;
    return `Worst case ${change}${c.budgetPercent.new === null ? ", no budget set" : `, ${Math.round(c.budgetPercent.new)}% of budget`}`;
}

/** One cost line as the comment shows it: "$210.24 → $350.40", "added $3.65", "removed $3.65", or "$5.00" if unchanged. */
export function lineFigure(side: { baselineUsd: number | null; newUsd: number | null }): string {
    if (side.baselineUsd === null) {
        return side.newUsd === null ? "" : `added ${formatUsd(side.newUsd)}`;
    }
    if (side.newUsd === null) {
        return `removed ${formatUsd(side.baselineUsd)}`;
    }
    return cents(side.baselineUsd) === cents(side.newUsd) ? formatUsd(side.newUsd) : `${formatUsd(side.baselineUsd)} → ${formatUsd(side.newUsd)}`;
}

export function renderComparisonText(c: CostComparison): string {
    const out = [`Cost change against the baseline (stack ${c.stack})`, `  ${headline(c)}`];
    const row = (label: string, t: TotalChange) => `  ${label.padEnd(12)}${formatUsd(t.baselineUsd).padStart(14)}${formatUsd(t.newUsd).padStart(14)}  ${totalDifference(t)}`;
    out.push(`  ${"".padEnd(12)}${"baseline".padStart(14)}${"new".padStart(14)}  change`);
    out.push(row("expected", c.expected), row("worst case", c.worstCase));
    if (c.budgetUsd !== null) {
        out.push(`  ${"budget".padEnd(12)}${"".padStart(14)}${formatUsd(c.budgetUsd).padStart(14)}  ${budgetUse(c)}`);
    }
    out.push(`  resources: ${countsText(c.resources.new)} (baseline: ${countsText(c.resources.baseline)})`);
    out.push(`  cost lines that changed: ${c.lines.length}`);
    c.lines.forEach((l) => out.push(`    ${l.label}: expected ${lineFigure(l.expected)}, worst case ${lineFigure(l.worstCase)}`));
    return out.join("\n");
}

export function renderComparisonMarkdown(c: CostComparison): string {
    const out = [`### \`${c.stack}\`: ${headline(c)}`, ""];
    out.push("| monthly | baseline | new | change |", "| --- | ---: | ---: | ---: |");
    out.push(`| expected | ${formatUsd(c.expected.baselineUsd)} | ${formatUsd(c.expected.newUsd)} | ${totalDifference(c.expected)} |`);
    out.push(`| worst case | ${formatUsd(c.worstCase.baselineUsd)} | ${formatUsd(c.worstCase.newUsd)} | ${totalDifference(c.worstCase)} |`);
    if (c.budgetUsd !== null) {
        out.push(`| budget | | ${formatUsd(c.budgetUsd)} | ${budgetUse(c)} |`);
    }
    out.push("", `Resources: ${countsText(c.resources.new)} (baseline: ${countsText(c.resources.baseline)}).`, "");
    if (c.lines.length === 0) {
        out.push("No cost line changed.");
    } else {
        out.push("| cost line that changed | expected | worst case |", "| --- | ---: | ---: |");
        c.lines.forEach((l) => out.push(`| ${l.label.replace(/\|/g, "\\|")} | ${lineFigure(l.expected)} | ${lineFigure(l.worstCase)} |`));
    }
    return out.join("\n");
}

function totalChange(baselineUsd: number, newUsd: number): TotalChange {
    const differenceUsd = (cents(newUsd) - cents(baselineUsd)) / 100;
    return { baselineUsd: roundCents(baselineUsd), newUsd: roundCents(newUsd), differenceUsd, differencePercent: cents(baselineUsd) === 0 ? null : tenths((differenceUsd / baselineUsd) * 100) };
}

function lineChanges(baseline: CheckReportJson, current: CheckReportJson): CostLineChange[] {
    type Sides = { label: string; urn: string; item: string; expected: [number | null, number | null]; worstCase: [number | null, number | null] };
    const rows = new Map<string, Sides>();
    const add = (report: CheckReportJson, side: 0 | 1) => {
        for (const estimate of ["expected", "worstCase"] as const) {
            for (const l of report.cost[estimate].lines) {
                // A line is one item of one resource; the same resource may have several.
                const key = `${l.urn}|${l.item}`;
                const row = rows.get(key) ?? { label: `${l.name}: ${l.item}`, urn: l.urn, item: l.item, expected: [null, null], worstCase: [null, null] };
                row[estimate][side] = (row[estimate][side] ?? 0) + l.monthlyUsd;
                rows.set(key, row);
            }
        }
    };
    add(baseline, 0);
    add(current, 1);
    const exists = (r: Sides, side: 0 | 1) => r.expected[side] !== null || r.worstCase[side] !== null;
    const moved = (pair: [number | null, number | null]) => cents(pair[0] ?? 0) !== cents(pair[1] ?? 0);
    const size = (r: Sides) => Math.max(...[r.expected, r.worstCase].map(([a, b]) => Math.abs((b ?? 0) - (a ?? 0))));
    return [...rows.values()]
        .filter((r) => exists(r, 0) !== exists(r, 1) || moved(r.expected) || moved(r.worstCase))
        .sort((a, b) => size(b) - size(a) || a.label.localeCompare(b.label))
        .map((r) => ({
            label: r.label,
            urn: r.urn,
            item: r.item,
            change: !exists(r, 0) ? "added" : !exists(r, 1) ? "removed" : "changed",
            // A line present on a side but missing from one estimate costs nothing there.
            expected: { baselineUsd: side(r.expected, exists(r, 0), 0), newUsd: side(r.expected, exists(r, 1), 1) },
            worstCase: { baselineUsd: side(r.worstCase, exists(r, 0), 0), newUsd: side(r.worstCase, exists(r, 1), 1) },
        }));
}

function side(pair: [number | null, number | null], present: boolean, index: 0 | 1): number | null {
    return present ? roundCents(pair[index] ?? 0) : null;
}

function totalDifference(t: TotalChange): string {
    return t.differenceUsd === 0 ? "no change" : `${signedUsd(t.differenceUsd)} (${signedPercent(t.differencePercent)})`;
}

function budgetUse(c: CostComparison): string {
    const was = c.budgetPercent.baseline === null ? "" : ` (was ${Math.round(c.budgetPercent.baseline)}%)`;
    return `worst case uses ${Math.round(c.budgetPercent.new ?? 0)}%${was}`;
}

function countsText(n: ResourceCounts): string {
    return `${n.total} (${n.priced} priced, ${n.free} free, ${n.unpriced} unpriced)`;
}

function signedUsd(n: number): string {
    return n > 0 ? `+${formatUsd(n)}` : formatUsd(n);
}

/** Whole percent from 10% up, one decimal below, so a small change does not read as "+0%". */
function signedPercent(p: number | null): string {
    if (p === null) {
        return "new";
    }
    const shown = Math.abs(p) >= 10 ? Math.round(p).toString() : p.toFixed(1);
    return p > 0 ? `+${shown}%` : `${shown}%`;
}

/** Whole cents as the report rounds them, so figures that print the same compare equal. */
function cents(n: number): number {
    return Math.round(roundCents(n) * 100);
}

function tenths(p: number): number {
    return Math.round(p * 10) / 10;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
