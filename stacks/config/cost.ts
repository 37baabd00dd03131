/** `iot-platform:costBaseline`: what the environment replaces, priced by the pack's model (docs/cost.md). */
import { z } from "zod";
import { INSTANCE_CATALOGUE, instanceType } from "../../policy/instances";
import { PRICE_TABLE } from "../../policy/pricing";
import { intBetween, positive, Problem, strictObject } from "./schema";

const catalogueType = z.string().refine((type) => instanceType(type) !== undefined, {
    error: `must be a type of the instance catalogue (policy/instances.ts, ${INSTANCE_CATALOGUE.version}): ${Object.keys(INSTANCE_CATALOGUE.types).join(", ")}`,
});

export const costBaselineSchema = strictObject({
    description: z.string().min(1, { error: "must say what the baseline is" }).max(200, { error: "must be at most 200 characters" }),
    instances: z.array(strictObject({ instanceType: catalogueType, count: intBetween(1, 1000) })).min(1, { error: "must list at least one instance type" }),
    /** Monthly lines the old platform paid besides its instances (licences, agents); default none. */
    fixedMonthlyUsd: z.array(strictObject({ item: z.string().min(1).max(100), usd: positive("USD a month") })).optional(),
});

export type CostBaselineConfig = z.infer<typeof costBaselineSchema>;

/** The baseline is priced at the stack's region, which the price table must know. */
export function costBaselineProblems(baseline: CostBaselineConfig | undefined, region: string): Problem[] {
    if (baseline === undefined || PRICE_TABLE.regions[region] !== undefined) {
        return [];
    }
    return [{
        path: ["costBaseline"],
        message: `cannot be priced in aws:region ${region}: price table ${PRICE_TABLE.version} has ${Object.keys(PRICE_TABLE.regions).join(", ")}`,
    }];
}
