/**
 * The vendored chart archives and their lock (charts/charts.lock.json): where each came from, its
 * checksum, and the files inside, read with Node's zlib and a small tar reader (no tar tool needed).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import * as zlib from "zlib";

export const CHARTS_DIR = path.resolve(__dirname, "..", "..", "charts");
export const LOCK_FILE = path.join(CHARTS_DIR, "charts.lock.json");

/** Provenance of a chart or of a subchart packaged inside it. */
export interface ChartOrigin {
    readonly name: string;
    readonly version: string;
    readonly appVersion?: string;
    /** Helm chart repository that publishes the release (its index.yaml is what the update script reads). */
    readonly repository?: string;
    /** Git repository the chart was packaged from. */
    readonly source: string;
    /** Release tag in that repository, and the commit it pointed to when the archive was made. */
    readonly tag?: string;
    readonly commit?: string;
}

export interface LockedChart extends ChartOrigin {
    /** File name under charts/. */
    readonly archive: string;
    readonly sha256: string;
    /** Subcharts packaged inside the archive (charts/<name>/), by name. */
    readonly dependencies?: readonly ChartOrigin[];
}

export function readLock(file = LOCK_FILE): LockedChart[] {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { charts: LockedChart[] }).charts;
}

export function sha256(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Files of a gzipped tar archive by path. Handles ustar prefixes, GNU long names and PAX paths. */
export function readTgz(file: string): Map<string, Buffer> {
    const tar = zlib.gunzipSync(fs.readFileSync(file));
    const files = new Map<string, Buffer>();
    const text = (start: number, length: number) => tar.toString("utf8", start, start + length).replace(/\0.*$/s, "");
    let at = 0;
    let longName: string | undefined;
    while (at + 512 <= tar.length && tar[at] !== 0) {
        const size = parseInt(text(at + 124, 12).trim() || "0", 8);
        const type = String.fromCharCode(tar[at + 156] || 0x30);
        const prefix = text(at + 345, 155);
        const data = tar.subarray(at + 512, at + 512 + size);
        let name = longName ?? (prefix ? `${prefix}/${text(at, 100)}` : text(at, 100));
        longName = undefined;
        if (type === "L") {
            longName = data.toString("utf8").replace(/\0.*$/s, "");
        } else if (type === "x") {
            const pathRecord = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString("utf8"));
            longName = pathRecord?.[1];
        } else if (type === "0" || type === "\0") {
            name = name.replace(/^\.\//, "");
            files.set(name, Buffer.from(data));
        }
        at += 512 + Math.ceil(size / 512) * 512;
    }
    return files;
}

/** A chart's metadata from its Chart.yaml. */
export interface ChartMetadata {
    readonly name: string;
    readonly version: string;
    readonly appVersion?: string;
    readonly kubeVersion?: string;
    readonly dependencies?: ReadonlyArray<{ name: string; version: string; repository?: string; alias?: string; condition?: string }>;
}

/** Chart.yaml of the archive's chart and of every subchart, keyed by path inside the archive ("kube-prometheus-stack", "kube-prometheus-stack/charts/grafana"). */
export function chartFiles(files: Map<string, Buffer>): Map<string, ChartMetadata> {
    const charts = new Map<string, ChartMetadata>();
    for (const [name, content] of files) {
        if (name.endsWith("/Chart.yaml")) {
            charts.set(name.slice(0, -"/Chart.yaml".length), yaml.load(content.toString("utf8")) as ChartMetadata);
        }
    }
    return charts;
}
