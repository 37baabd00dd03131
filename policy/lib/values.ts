// Reading resource properties without tripping over values that are unknown during preview.
//
// @pulumi/policy wraps props in a proxy that throws UnknownValueError as soon as an unknown value is
// touched; the SDK then downgrades the whole policy run to an advisory "can't run during preview"
// note. That would silently switch off a stack-wide check (budget, capacity) because one unrelated
// ARN is not known yet, so the policies read the proxy's raw target and treat the engine's unknown
// sentinels explicitly: a check that depends on an unknown value is skipped, never failed.

import * as proxy from "@pulumi/policy/proxy";

const sentinels = proxy as unknown as Record<string, unknown>;

const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set(
    [
        "unknownBooleanValue",
        "unknownNumberValue",
        "unknownStringValue",
        "unknownArrayValue",
        "unknownAssetValue",
        "unknownArchiveValue",
        "unknownObjectValue",
    ].map(k => {
        const v = sentinels[k];
        if (typeof v !== "string") {
            throw new Error(`@pulumi/policy/proxy no longer exports ${k}; update policy/lib/values.ts`);
        }
        return v;
    }),
);

/** Marker for "this value will only be known after the update". */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/** The sentinel the engine sends for an unknown string; tests use it to build preview-shaped props. */
export const UNKNOWN_STRING = sentinels.unknownStringValue as string;

export type Props = Record<string, unknown>;

/** Returns the raw object behind @pulumi/policy's unknown-checking proxy (or the object itself). */
export function rawProps(props: unknown): Props {
    if (props === null || typeof props !== "object") {
        return {};
    }
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return (target !== undefined && target !== null && typeof target === "object" ? target : props) as Props;
}

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN || (typeof v === "string" && UNKNOWN_SENTINELS.has(v));
}

/**
 * Walks `path` from `root`. Returns UNKNOWN if any step is unknown, undefined if any step is absent
 * (null and undefined are both "absent", as the engine drops undefined props).
 */
export function at(root: unknown, ...path: (string | number)[]): unknown {
    let cur: unknown = root;
    for (const key of path) {
        if (isUnknown(cur)) {
            return UNKNOWN;
        }
        if (cur === null || cur === undefined || typeof cur !== "object") {
            return undefined;
        }
        cur = (cur as Record<string | number, unknown>)[key];
    }
    if (isUnknown(cur)) {
        return UNKNOWN;
    }
    return cur === null ? undefined : cur;
}

/** A list value: UNKNOWN if the list or any element is unknown, undefined if absent or not a list. */
export function listAt(root: unknown, ...path: (string | number)[]): unknown[] | Unknown | undefined {
    const v = at(root, ...path);
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    return Array.isArray(v) ? v : undefined;
}

export function hasUnknown(list: readonly unknown[]): boolean {
    return list.some(isUnknown);
}

/** Numbers arrive as numbers from the engine but as strings from tags and some tools. */
export function toNumber(v: unknown): number | Unknown | undefined {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
        return Number(v);
    }
    return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);
}

/** Policy documents are inputs either as a JSON string or as an object. */
export function parseJsonDocument(v: unknown): Record<string, unknown> | Unknown | undefined {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (typeof v === "string") {
        try {
            const parsed: unknown = JSON.parse(v);
            return isRecord(parsed) ? parsed : undefined;
        } catch {
            return undefined;
        }
    }
    return isRecord(v) ? v : undefined;
}
