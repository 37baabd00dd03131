/**
 * Which values paths a chart reads. Helm ignores a key the chart does not define, so a misspelt
 * path deploys the chart's default silently; these functions find such paths before Helm does.
 */
import * as yaml from "js-yaml";
import { chartFiles } from "./archive";

type Values = Record<string, unknown>;

function isMap(value: unknown): value is Values {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Deep merge as Helm coalesces values: `over` wins, maps merge key by key. */
export function mergeValues(base: Values, over: Values): Values {
    const merged: Values = { ...base };
    for (const [key, value] of Object.entries(over)) {
        merged[key] = isMap(value) && isMap(base[key]) ? mergeValues(base[key], value) : value;
    }
    return merged;
}

/**
 * The chart's default values with every packaged subchart's defaults merged under its key (its
 * alias or name), the parent's settings for a subchart winning, as Helm does at render time.
 */
export function chartDefaults(files: Map<string, Buffer>, chartDir: string): Values {
    const own = files.get(`${chartDir}/values.yaml`);
    let defaults = own ? ((yaml.load(own.toString("utf8")) as Values | undefined) ?? {}) : {};
    const charts = chartFiles(files);
    const metadata = charts.get(chartDir);
    for (const dir of charts.keys()) {
        const sub = /^(.*)\/charts\/([^/]+)$/.exec(dir);
        if (!sub || sub[1] !== chartDir) {
            continue;
        }
        const name = charts.get(dir)!.name;
        const key = metadata?.dependencies?.find((d) => d.name === name)?.alias ?? name;
        const subDefaults = chartDefaults(files, dir);
        defaults = { ...defaults, [key]: mergeValues(subDefaults, isMap(defaults[key]) ? defaults[key] : {}) };
    }
    return defaults;
}

/**
 * Paths in `values` that the chart does not read: neither in its defaults nor under a map the chart
 * passes through whole. A map passes through when its default is empty (`{}`, `[]` or null, Helm's
 * convention for a free-form block rendered with toYaml) or when it is listed in `passthrough`
 * (maps with defaults that the templates still render whole, such as Alertmanager's config).
 * An array replaces the default wholesale, so its elements are not followed.
 */
export function ignoredValuePaths(values: Values, defaults: Values, passthrough: readonly string[] = []): string[] {
    const ignored: string[] = [];
    const walk = (value: Values, known: Values, at: string) => {
        for (const [key, child] of Object.entries(value)) {
            const path = at ? `${at}.${key}` : key;
            if (!Object.prototype.hasOwnProperty.call(known, key)) {
                ignored.push(path);
                continue;
            }
            const fallback = known[key];
            const freeForm = fallback === null || (Array.isArray(fallback) && fallback.length === 0)
                || (isMap(fallback) && Object.keys(fallback).length === 0);
            if (isMap(child) && isMap(fallback) && !freeForm && !passthrough.includes(path)) {
                walk(child, fallback, path);
            }
        }
    };
    walk(values, defaults, "");
    return ignored;
}
