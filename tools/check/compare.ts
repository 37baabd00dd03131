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
    /** Where the baseline came from: a report file, or a commit ("main (1a2b3c4d)"). */
    readonly baseline: string;
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

export function compareReports(baseline: CheckReportJson, current: CheckReportJson, baselineName: string): CostComparison {
    const budget = current.cost.budgetUsd;
    const share = (worstCase: number) => (budget === null || budget <= 0 ? null : tenths((worstCase / budget) * 100));
    return {
        stack: current.stack,
        baseline: baselineName,
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
    return `Worst case ${change}${c.budgetPercent.new === null ? ", no budget set" : `, ${share(c.budgetPercent.new)} of budget`}`;
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
    const out = [`Cost change of stack ${c.stack} against ${c.baseline}`, `  ${headline(c)}`];
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
    const out = [`### \`${c.stack}\`: ${headline(c)}`, "", `Against \`${c.baseline}\`.`, ""];
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

/** One resource's priced item in one report, its expected and worst-case figures together. */
interface Item {
    readonly urn: string;
    readonly name: string;
    readonly item: string;
    expected: number | null;
    worstCase: number | null;
}

function items(report: CheckReportJson): Item[] {
    const byKey = new Map<string, Item>();
    for (const estimate of ["expected", "worstCase"] as const) {
        for (const l of report.cost[estimate].lines) {
            const key = `${l.urn}|${l.item}`;
            const item = byKey.get(key) ?? { urn: l.urn, name: l.name, item: l.item, expected: null, worstCase: null };
            item[estimate] = (item[estimate] ?? 0) + l.monthlyUsd;
            byKey.set(key, item);
        }
    }
    return [...byKey.values()];
}

/**
 * Pairs each resource's items across the reports: by their text first, then the rest in order,
 * because a text often carries the quantity ("t3.large x 2 (max 3)" becomes "… (max 4)"), and that
 * is one line whose cost moved, not one removed and one added.
 */
function pairItems(baseline: Item[], current: Item[]): [Item | undefined, Item | undefined][] {
    const pairs: [Item | undefined, Item | undefined][] = [];
    const urns = [...new Set([...baseline, ...current].map((i) => i.urn))];
    for (const urn of urns) {
        const before = baseline.filter((i) => i.urn === urn);
        const after = current.filter((i) => i.urn === urn);
        const unmatchedAfter = after.filter((a) => !before.some((b) => b.item === a.item));
        const unmatchedBefore: Item[] = [];
        for (const b of before) {
            const same = after.find((a) => a.item === b.item);
            if (same) {
                pairs.push([b, same]);
            } else {
                unmatchedBefore.push(b);
            }
        }
        for (let k = 0; k < Math.max(unmatchedBefore.length, unmatchedAfter.length); k++) {
            pairs.push([unmatchedBefore[k], unmatchedAfter[k]]);
        }
    }
    return pairs;
}

function lineChanges(baseline: CheckReportJson, current: CheckReportJson): CostLineChange[] {
    const moved = (a: number | null | undefined, b: number | null | undefined) => cents(a ?? 0) !== cents(b ?? 0);
    const size = (l: CostLineChange) => Math.max(...[l.expected, l.worstCase].map((s) => Math.abs((s.newUsd ?? 0) - (s.baselineUsd ?? 0))));
    return pairItems(items(baseline), items(current))
        .filter(([b, a]) => b === undefined || a === undefined || moved(b.expected, a.expected) || moved(b.worstCase, a.worstCase))
        .map(([b, a]): CostLineChange => {
            const shown = (a ?? b) as Item;
            const renamed = a !== undefined && b !== undefined && a.item !== b.item;
            return {
                label: `${shown.name}: ${shown.item}${renamed ? ` (was ${b.item})` : ""}`,
                urn: shown.urn,
                item: shown.item,
                change: b === undefined ? "added" : a === undefined ? "removed" : "changed",
                // An item present in a report but missing from one estimate costs nothing there.
                expected: { baselineUsd: figure(b?.expected, b), newUsd: figure(a?.expected, a) },
                worstCase: { baselineUsd: figure(b?.worstCase, b), newUsd: figure(a?.worstCase, a) },
            };
        })
        .sort((x, y) => size(y) - size(x) || x.label.localeCompare(y.label));
}

function figure(usd: number | null | undefined, present: Item | undefined): number | null {
    return present === undefined ? null : roundCents(usd ?? 0);
}

function totalDifference(t: TotalChange): string {
    return t.differenceUsd === 0 ? "no change" : `${signedUsd(t.differenceUsd)} (${signedPercent(t.differencePercent)})`;
}

function budgetUse(c: CostComparison): string {
    const was = c.budgetPercent.baseline === null ? "" : ` (was ${share(c.budgetPercent.baseline)})`;
    return `worst case uses ${share(c.budgetPercent.new ?? 0)}${was}`;
}

/** Whole percent, except within a point of the budget, where rounding would hide which side it is on (99.8% is not 100%). */
function share(p: number): string {
    return Math.abs(p - 100) < 1 && p !== 100 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
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
