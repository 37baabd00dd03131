/**
 * The pure steps of a chart update (scripts/update-chart.ts does the network and file work): find a
 * release in a Helm repository index, derive its release tag, and build the new lock entry.
 */
import * as yaml from "js-yaml";
import { ChartMetadata, ChartOrigin, LockedChart } from "./archive";

export interface IndexEntry {
    readonly name: string;
    readonly version: string;
    readonly appVersion?: string;
    /** sha256 of the archive, as the repository publishes it. */
    readonly digest: string;
    readonly urls: readonly string[];
}

/** The release `name` `version` in a repository's index.yaml, with its archive URL made absolute. */
export function findRelease(indexYaml: string, repository: string, name: string, version: string): IndexEntry {
    const index = yaml.load(indexYaml) as { entries?: Record<string, IndexEntry[]> };
    const entry = index.entries?.[name]?.find((e) => e.version === version);
    if (!entry) {
        const known = (index.entries?.[name] ?? []).slice(0, 5).map((e) => e.version).join(", ");
        throw new Error(`${name} ${version} is not published in ${repository} (latest: ${known || "none"})`);
    }
    if (!/^[0-9a-f]{64}$/.test(entry.digest ?? "")) {
        throw new Error(`${name} ${version}: the index has no sha256 digest to verify the archive against`);
    }
    const base = repository.endsWith("/") ? repository : `${repository}/`;
    return { ...entry, urls: entry.urls.map((u) => new URL(u, base).toString()) };
}

/** The release tag of `version`, in the form the previous tag had (`<name>-<v>`, `<name>-chart-<v>`, ...). */
export function releaseTag(previous: ChartOrigin | undefined, name: string, version: string): string {
    if (previous?.tag && previous.tag.endsWith(previous.version)) {
        return `${previous.tag.slice(0, -previous.version.length)}${version}`;
    }
    return `${name}-${version}`;
}

export interface ResolvedOrigin {
    readonly tag: string;
    readonly commit: string;
}

/**
 * The lock entry of a downloaded release: its own metadata and checksum, and one origin per
 * packaged subchart, taking repository and source from the previous entry or the parent's Chart.yaml.
 */
export function lockEntry(args: {
    readonly previous: LockedChart | undefined;
    readonly metadata: ChartMetadata;
    readonly subcharts: readonly ChartMetadata[];
    readonly sha256: string;
    readonly repository: string;
    readonly source: string;
    readonly resolve: (origin: { name: string; version: string; source: string; previous?: ChartOrigin }) => ResolvedOrigin | undefined;
}): LockedChart {
    const { previous, metadata } = args;
    const own = args.resolve({ name: metadata.name, version: metadata.version, source: args.source, previous });
    if (!own) {
        throw new Error(`${metadata.name} ${metadata.version}: no release tag found in ${args.source}`);
    }
    const dependencies = args.subcharts.map((sub): ChartOrigin => {
        const before = previous?.dependencies?.find((d) => d.name === sub.name);
        const declared = metadata.dependencies?.find((d) => d.name === sub.name);
        const repository = declared?.repository || before?.repository;
        const source = before?.source ?? args.source;
        const origin = source.startsWith("https://") ? args.resolve({ name: sub.name, version: sub.version, source, previous: before }) : undefined;
        return { name: sub.name, version: sub.version, appVersion: sub.appVersion, repository, source, tag: origin?.tag, commit: origin?.commit };
    });
    return {
        archive: `${metadata.name}-${metadata.version}.tgz`,
        name: metadata.name,
        version: metadata.version,
        appVersion: metadata.appVersion,
        sha256: args.sha256,
        repository: args.repository,
        source: args.source,
        tag: own.tag,
        commit: own.commit,
        ...(dependencies.length > 0 ? { dependencies } : {}),
    };
}
