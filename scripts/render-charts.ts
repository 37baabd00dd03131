/**
 * Renders every vendored chart with the program's values, per stack, and compares two renders.
 *
 *   node -r ./tools/register.js scripts/render-charts.ts --out <dir>
 *       writes <dir>/<stack>.json: every rendered object by `release: Kind namespace/name`
 *   node -r ./tools/register.js scripts/render-charts.ts --diff <base dir> <head dir>
 *       prints Markdown per stack: objects added, removed and changed, with a YAML diff of each change
 *
 * The pull-request workflow renders the base and the head of a pull request and puts the diff in the
 * job summary, so reviewers see what a chart bump or a values change does to the cluster.
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { objectId, renderChart, RenderedObject } from "../tools/charts/render";
import { CHART_TARGETS, STACKS, stackRun } from "../test/charts/targets";

type Rendered = Record<string, RenderedObject>;

/** Lines of diff shown per changed object; the rest is counted, so a CRD bump stays readable. */
const MAX_DIFF_LINES = 150;

/** Secret payloads are shown as a digest per key: the summary is public to everyone who can read the repository. */
function redacted(o: RenderedObject): RenderedObject {
    if (o.kind !== "Secret") {
        return o;
    }
    const digest = (v: unknown) => `sha256:${crypto.createHash("sha256").update(String(v)).digest("hex").slice(0, 12)}`;
    const mask = (data?: Record<string, unknown>) => data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, digest(v)]));
    return { ...o, data: mask(o.data), stringData: mask(o.stringData) };
}

async function renderAll(out: string): Promise<void> {
    fs.mkdirSync(out, { recursive: true });
    for (const stack of STACKS) {
        const run = await stackRun(stack);
        const rendered: Rendered = {};
        for (const target of CHART_TARGETS) {
            const objects = renderChart({
                archive: target.archive, releaseName: target.releaseName, namespace: target.namespace,
                kubeVersion: run.config.cluster.kubernetesVersion, values: target.values(run),
            });
            for (const o of objects) {
                rendered[`${target.releaseName}: ${objectId(o)}`] = redacted(o);
            }
        }
        fs.writeFileSync(path.join(out, `${stack}.json`), JSON.stringify(rendered));
        console.error(`${stack}: ${Object.keys(rendered).length} objects`);
    }
}

function unifiedDiff(before: RenderedObject, after: RenderedObject): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-diff-"));
    try {
        const [a, b] = [path.join(dir, "base"), path.join(dir, "head")];
        fs.writeFileSync(a, yaml.dump(before, { sortKeys: true, lineWidth: -1 }));
        fs.writeFileSync(b, yaml.dump(after, { sortKeys: true, lineWidth: -1 }));
        const lines = spawnSync("diff", ["-u", "--label", "base", "--label", "head", a, b], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout.split("\n");
        const shown = lines.slice(0, MAX_DIFF_LINES);
        if (lines.length > MAX_DIFF_LINES) {
            shown.push(`... ${lines.length - MAX_DIFF_LINES} more lines`);
        }
        return shown.join("\n");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The Markdown summary of what changes between two renders of one stack. */
export function diffMarkdown(stack: string, base: Rendered | undefined, head: Rendered): string {
    if (!base) {
        return `### Rendered charts, ${stack}\n\nThe base branch has no chart render to compare with (${Object.keys(head).length} objects rendered at the head).\n`;
    }
    const added = Object.keys(head).filter((id) => !(id in base)).sort();
    const removed = Object.keys(base).filter((id) => !(id in head)).sort();
    const changed = Object.keys(head).filter((id) => id in base && JSON.stringify(base[id]) !== JSON.stringify(head[id])).sort();
    const lines = [`### Rendered charts, ${stack}: ${added.length} added, ${removed.length} removed, ${changed.length} changed`, ""];
    if (added.length + removed.length + changed.length === 0) {
        lines.push("No rendered object changes.", "");
        return lines.join("\n");
    }
    lines.push(...added.map((id) => `- added \`${id}\``), ...removed.map((id) => `- removed \`${id}\``), ...changed.map((id) => `- changed \`${id}\``), "");
    for (const id of changed) {
        lines.push(`<details><summary>${id}</summary>`, "", "```diff", unifiedDiff(base[id], head[id]), "```", "", "</details>", "");
    }
    return lines.join("\n");
}

function readRender(dir: string, stack: string): Rendered | undefined {
    const file = path.join(dir, `${stack}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Rendered) : undefined;
}

async function main(args: string[]): Promise<void> {
    if (args[0] === "--out" && args.length === 2) {
        await renderAll(args[1]);
    } else if (args[0] === "--diff" && args.length === 3) {
        for (const stack of STACKS) {
            const head = readRender(args[2], stack);
            if (!head) {
                throw new Error(`${args[2]}/${stack}.json is missing`);
            }
            process.stdout.write(`${diffMarkdown(stack, readRender(args[1], stack), head)}\n`);
        }
    } else {
        throw new Error("usage: render-charts.ts --out <dir> | --diff <base dir> <head dir>");
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exitCode = 1;
    });
}
