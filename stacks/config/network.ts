import { z } from "zod";
import { NAT_GATEWAY_MODES } from "../../components/network/Network";
import { MAX_AZS, MAX_VPC_PREFIX, parseCidr } from "../../components/network/cidr";
import { cidr, oneOf, strictObject } from "./schema";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** us-east-1, eu-central-2, us-gov-west-1. */
export const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** A zone name is its region plus a letter: us-east-1a. */
export const ZONE_NAME = /^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d)([a-z])$/;
/**
 * A zone ID (use1-az1) names the same physical zone in every account, where zone names are shuffled
 * per account (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html).
 */
export const ZONE_ID = /^[a-z]{3,6}\d-az\d+$/;

const zone = z.string({ error: "must be an availability zone name like us-east-1a or a zone ID like use1-az1" }).superRefine((value, ctx) => {
    if (REGION_NAME.test(value)) {
        ctx.addIssue({ code: "custom", message: `is a region, not an availability zone; list zones of aws:region such as ${value}a (or zone IDs such as use1-az1)` });
    } else if (!ZONE_NAME.test(value) && !ZONE_ID.test(value)) {
        ctx.addIssue({ code: "custom", message: "must be an availability zone name like us-east-1a or a zone ID like use1-az1" });
    }
});

export const networkSchema = strictObject({
    cidr: cidr.refine((v) => {
        const parsed = parseCidr(v);
        return parsed === undefined || (parsed.prefix >= 16 && parsed.prefix <= MAX_VPC_PREFIX);
    }, { error: `must be a /16 to /${MAX_VPC_PREFIX} range` }),
    /** Names (us-east-1a) or IDs (use1-az1); the loader checks them against the account's zones and resolves IDs to names. */
    availabilityZones: z
        .array(zone, { error: "must be a list of availability zones like [us-east-1a, us-east-1b]" })
        .min(2, { error: `must list 2 to ${MAX_AZS} availability zones: the nodes and NAT must survive the loss of one` })
        .max(MAX_AZS, { error: `must list 2 to ${MAX_AZS} availability zones` })
        .refine((azs) => new Set(azs).size === azs.length, { error: "must not repeat an availability zone" }),
    /** perAz: one NAT gateway per zone (a zone outage keeps egress); single: one shared, cheaper. */
    natGateways: oneOf(NAT_GATEWAY_MODES),
    flowLogRetentionDays: z
        .number({ error: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}` })
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
            error: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(90),
});
