/** Shared building blocks for the stack configuration schemas. */
import { z } from "zod";
import { parseCidr } from "../../components/network/cidr";

/**
 * An object that rejects keys it does not know, naming them and the allowed ones:
 * a typo such as `nodes.maxx` must fail, not silently fall back to a default.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
    return z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed keys: ${Object.keys(shape).join(", ")}`
                : undefined,
    });
}

export const cidr = z.string().refine((v) => parseCidr(v) !== undefined, {
    error: "must be an IPv4 CIDR like 10.0.0.0/16 with no host bits set",
});

/** Whole number within [min, max], with the range in the message. */
export function intBetween(min: number, max: number) {
    return z
        .number({ error: `must be a whole number from ${min} to ${max}` })
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be from ${min} to ${max}` })
        .max(max, { error: `must be from ${min} to ${max}` });
}

export function positive(what: string) {
    return z.number({ error: `must be a number (${what})` }).positive({ error: `must be greater than 0 (${what})` });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, { error: `must be one of ${values.join(", ")}` });
}
