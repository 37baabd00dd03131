import { z } from "zod";
import { NAT_GATEWAY_MODES } from "../../components/network/Network";
import { MAX_AZS, MAX_VPC_PREFIX, parseCidr } from "../../components/network/cidr";
import { cidr, oneOf, strictObject } from "./schema";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const networkSchema = strictObject({
    cidr: cidr.refine((v) => {
        const parsed = parseCidr(v);
        return parsed === undefined || (parsed.prefix >= 16 && parsed.prefix <= MAX_VPC_PREFIX);
    }, { error: `must be a /16 to /${MAX_VPC_PREFIX} range` }),
    availabilityZones: z
        .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: "must be an availability zone name like us-east-1a" }))
        .min(2, { error: `must list 2 to ${MAX_AZS} availability zones: the nodes and NAT must survive the loss of one` })
        .max(MAX_AZS, { error: `must list 2 to ${MAX_AZS} availability zones` })
        .refine((azs) => new Set(azs).size === azs.length, { error: "must not repeat an availability zone" }),
    /** perAz: one NAT gateway per zone (a zone outage keeps egress); single: one shared, cheaper. */
    natGateways: oneOf(NAT_GATEWAY_MODES),
    flowLogRetentionDays: z
        .number()
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
            error: `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(90),
});
