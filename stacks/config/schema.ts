/** Shared building blocks for the stack configuration schemas. */
import { z } from "zod";
import { parseCidr } from "../../components/network/cidr";

/**
 * An object that rejects keys it does not know: a typo such as `nodes.maxx` must fail, not silently
 * fall back to a default. The loader names each unknown key in full, with the allowed ones.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
    return z.strictObject(shape);
}

/** A problem found by a check that spans keys: `path` below the project namespace, e.g. ["apps", 2, "tls"]. */
export interface Problem {
    readonly path: readonly (string | number)[];
    readonly message: string;
}

/**
 * What parsed of a schema's value when the whole did not: fields and list entries that are valid on
 * their own, so checks that span keys can still run on them (an object-level refinement may not hold).
 */
export type Salvaged<T> = T extends readonly (infer E)[]
    ? (Salvaged<E> | undefined)[]
    : T extends object ? { [K in keyof T]?: Salvaged<T[K]> } : T;

/** Parses `value` with `schema`, keeping the valid parts of objects and lists when the whole fails. */
export function salvage<T>(schema: z.ZodType<T>, value: unknown): Salvaged<T> | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) {
        return parsed.data as Salvaged<T>;
    }
    const def = schema._zod.def as unknown as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType };
    if (def.type === "object" && def.shape && isRecord(value)) {
        const parts = Object.entries(def.shape)
            .map(([key, field]) => [key, salvage(field, value[key])] as const)
            .filter(([, part]) => part !== undefined);
        return Object.fromEntries(parts) as Salvaged<T>;
    }
    if (def.type === "array" && def.element && Array.isArray(value)) {
        const element = def.element;
        return value.map((item) => salvage(element, item)) as Salvaged<T>;
    }
    if ((def.type === "default" || def.type === "prefault" || def.type === "optional") && def.innerType && value !== undefined) {
        return salvage(def.innerType, value) as Salvaged<T>;
    }
    return undefined;
}

/** The object schema reached by `path` (through lists, defaults and optionals), for naming its keys. */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
    let current: z.ZodType | undefined = schema;
    const rest = [...path];
    while (current) {
        const def = current._zod.def as unknown as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType };
        if (def.type === "default" || def.type === "prefault" || def.type === "optional") {
            current = def.innerType;
        } else if (rest.length === 0) {
            return def.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
        } else if (def.type === "array") {
            rest.shift();
            current = def.element;
        } else if (def.type === "object" && def.shape) {
            current = def.shape[String(rest.shift())];
        } else {
            return undefined;
        }
    }
    return undefined;
}

/** The closest candidate to a mistyped `word` (edit distance at most a third of its length, at least 1), if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
    const limit = Math.max(1, Math.floor(word.length / 3));
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { candidate, distance };
        }
    }
    return best?.candidate;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit (`mxa` → `max`). */
function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
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
