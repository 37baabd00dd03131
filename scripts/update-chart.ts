/**
 * Vendors a published chart release (online; run by a maintainer, never by CI):
 *
 *   npm run chart:update -- <chart> <version> [--repository <Helm repository URL> --source <GitHub URL>]
 *
 * Reads the Helm repository's index.yaml, downloads the release archive, verifies it against the
 * sha256 digest the index publishes and checks the chart name and version inside, resolves the
 * release tags of the chart and its packaged subcharts to commits (`git ls-remote`), then writes the
 * archive to charts/, removes the archive it replaces and updates charts/charts.lock.json.
 * --repository and --source are needed only for a chart the lock does not know yet.
 * Next steps (printed): point the component at the new version, run the chart checks, review the
 * rendered diff. See docs/charts.md.
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chartFiles, CHARTS_DIR, LOCK_FILE, LockedChart, readLock, readTgz } from "../tools/charts/archive";
import { findRelease, lockEntry, releaseTag } from "../tools/charts/update";

function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
}

async function download(url: string): Promise<Buffer> {
    const response = await fetch(url);
    if (!response.ok) {
        throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
    }
    return Buffer.from(await response.arrayBuffer());
}

/** The commit a tag points to (peeled, for annotated tags), or undefined when the tag does not exist. */
function tagCommit(source: string, tag: string): string | undefined {
    const result = spawnSync("git", ["ls-remote", "--tags", source, `refs/tags/${tag}`, `refs/tags/${tag}^{}`], { encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`git ls-remote ${source}: ${result.stderr}`);
    }
    const refs = new Map(result.stdout.trim().split("\n").filter(Boolean).map((line) => line.split("\t").reverse() as [string, string]));
    return refs.get(`refs/tags/${tag}^{}`) ?? refs.get(`refs/tags/${tag}`);
}

export interface UpdateRequest {
    readonly name: string;
    readonly version: string;
    /** Needed only for a chart the lock does not know yet. */
    readonly repository?: string;
    readonly source?: string;
    /** Where the archives and the lock live. @default charts/ */
    readonly chartsDir?: string;
}

/** Vendors one release; returns its lock entry. */
export async function updateChart(request: UpdateRequest, log: (line: string) => void = console.log): Promise<LockedChart> {
    const { name, version } = request;
    const chartsDir = request.chartsDir ?? CHARTS_DIR;
    const lockFile = path.join(chartsDir, path.basename(LOCK_FILE));
    const lock = readLock(lockFile);
    const previous = lock.find((c) => c.name === name);
    const repository = request.repository ?? previous?.repository;
    const source = request.source ?? previous?.source;
    if (!repository || !source) {
        throw new Error(`${name} is not in ${lockFile}: give --repository and --source`);
    }

    const indexUrl = new URL("index.yaml", repository.endsWith("/") ? repository : `${repository}/`).toString();
    const release = findRelease((await download(indexUrl)).toString("utf8"), repository, name, version);
    const archive = await download(release.urls[0]);
    const digest = crypto.createHash("sha256").update(archive).digest("hex");
    if (digest !== release.digest) {
        throw new Error(`${release.urls[0]}: sha256 ${digest} differs from the index's digest ${release.digest}`);
    }

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "chart-update-"));
    try {
        const file = path.join(scratch, `${name}-${version}.tgz`);
        fs.writeFileSync(file, archive);
        const charts = chartFiles(readTgz(file));
        const metadata = charts.get(name);
        if (metadata?.name !== name || metadata.version !== version) {
            throw new Error(`the archive holds ${metadata?.name} ${metadata?.version}, not ${name} ${version}`);
        }
        const subcharts = [...charts].filter(([dir]) => dir.startsWith(`${name}/charts/`) && !dir.slice(`${name}/charts/`.length).includes("/")).map(([, c]) => c);
        const entry: LockedChart = lockEntry({
            previous, metadata, subcharts, sha256: digest, repository, source,
            resolve: (origin) => {
                const tag = releaseTag(origin.previous, origin.name, origin.version);
                const commit = tagCommit(origin.source, tag);
                if (!commit) {
                    log(`warning: no tag ${tag} in ${origin.source}; its lock entry has no tag or commit`);
                    return undefined;
                }
                return { tag, commit };
            },
        });

        fs.copyFileSync(file, path.join(chartsDir, entry.archive));
        if (previous && previous.archive !== entry.archive) {
            fs.rmSync(path.join(chartsDir, previous.archive));
        }
        const updated = previous ? lock.map((c) => (c === previous ? entry : c)) : [...lock, entry];
        fs.writeFileSync(lockFile, `${JSON.stringify({ charts: updated }, null, 2)}\n`);
        log(`vendored ${entry.archive} (sha256 ${digest}, ${entry.tag} at ${entry.commit})`);
        for (const d of entry.dependencies ?? []) {
            log(`  with ${d.name} ${d.version}${d.tag ? ` (${d.tag} at ${d.commit})` : ""}`);
        }
        return entry;
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

async function main(args: string[]): Promise<void> {
    const [name, version] = args;
    if (!name || !version || name.startsWith("--")) {
        throw new Error("usage: npm run chart:update -- <chart> <version> [--repository <Helm repository URL> --source <GitHub URL>]");
    }
    await updateChart({ name, version, repository: flag(args, "--repository"), source: flag(args, "--source") });
    console.log([
        "next:",
        `  1. point the component at ${name} ${version} (its VendoredChart constant) and test/charts/targets.ts at the new archive`,
        "  2. read the chart's values.yaml and templates for renamed or removed keys; adjust the values",
        "  3. npm test && npm run test:charts   (no ignored values, intents, schemas)",
        "  4. compare renders: scripts/render-charts.ts --out before (on main) / --out after, then --diff before after",
        "  5. if the chart ships CRDs, apply the new ones before `pulumi up` (docs/charts.md: Helm never upgrades CRDs)",
    ].join("\n"));
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = 1;
    });
}
