// What an environment replaces, priced by the same model and prices as the stack, and the difference.
//
// A baseline lists instances (type x count, on-demand, 730 h) and fixed monthly lines. It is compared
// with the stack's compute lines only: EC2 instance-hours of its node groups and the EKS control
// plane, the part of the bill the migration from a VM fleet to a cluster changed. Storage, data
// path, NAT and monitoring lines are left out on both sides, since the baseline does not describe
// them (add what the old platform paid for them as fixed lines to include them on its side).
import { Estimate } from "./cost";
import { instanceType } from "./instances";
import { PriceTable } from "./pricing";

export interface CostBaseline {
    /** What the baseline is, e.g. "the Mesos/DC-OS fleet the cluster replaced". */
    readonly description: string;
    readonly instances: readonly { readonly instanceType: string; readonly count: number }[];
    readonly fixedMonthlyUsd?: readonly { readonly item: string; readonly usd: number }[];
}

export interface BaselineLine { readonly item: string; readonly monthlyUsd: number }

export interface BaselineComparison {
    readonly description: string;
    readonly baseline: { readonly lines: readonly BaselineLine[]; readonly totalUsd: number };
    /** The stack's compute lines (node instance-hours, EKS control plane), expected and worst case. */
    readonly compute: { readonly expectedUsd: number; readonly worstCaseUsd: number };
    /** (stack - baseline) / baseline x 100: negative is a saving. */
    readonly differencePercent: { readonly expected: number; readonly worstCase: number };
}

/** The baseline's monthly lines at `region`'s prices; throws naming the entry it cannot price. */
export function priceBaseline(baseline: CostBaseline, table: PriceTable, region: string): BaselineComparison["baseline"] {
    const prices = table.regions[region];
    if (prices === undefined) {
        throw new Error(`cost baseline: region ${region} is not in price table ${table.version} (has ${Object.keys(table.regions).join(", ")})`);
    }
    const lines: BaselineLine[] = baseline.instances.map((entry, i) => {
        const hourly = prices.ec2InstanceHour[entry.instanceType];
        if (hourly === undefined || instanceType(entry.instanceType) === undefined) {
            throw new Error(`cost baseline: instances.${i}.instanceType ${entry.instanceType} is not in the instance catalogue`);
        }
        return { item: `${entry.count} x ${entry.instanceType} on demand`, monthlyUsd: entry.count * hourly * table.hoursPerMonth };
    });
    lines.push(...(baseline.fixedMonthlyUsd ?? []).map((f) => ({ item: f.item, monthlyUsd: f.usd })));
    return { lines, totalUsd: lines.reduce((sum, l) => sum + l.monthlyUsd, 0) };
}

const computeTotal = (e: Estimate) => e.lines.filter((l) => l.compute).reduce((sum, l) => sum + l.monthlyUsd, 0);

/** The stack's compute cost against the baseline, in dollars and percent. */
export function compareWithBaseline(
    estimate: { readonly expected: Estimate; readonly worstCase: Estimate },
    baseline: CostBaseline,
    table: PriceTable,
    region: string,
): BaselineComparison {
    const priced = priceBaseline(baseline, table, region);
    const expectedUsd = computeTotal(estimate.expected);
    const worstCaseUsd = computeTotal(estimate.worstCase);
    const percent = (usd: number) => (priced.totalUsd === 0 ? 0 : ((usd - priced.totalUsd) / priced.totalUsd) * 100);
    return {
        description: baseline.description,
        baseline: priced,
        compute: { expectedUsd, worstCaseUsd },
        differencePercent: { expected: percent(expectedUsd), worstCase: percent(worstCaseUsd) },
    };
}
