/**
 * The baseline of a cost comparison taken from a git commit (`--baseline-ref`): the commit's files are
 * extracted to a temporary directory and that commit's own offline check runs there. The baseline is
 * then what the base branch's code reports for the base branch's stack files, whatever the change
 * under review did to the program, the pack or the cost model.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckReportJson, parseCheckReport } from "./compare";

export interface GitCommit {
    /** As given on the command line, for the report. */
    readonly ref: string;
    readonly sha: string;
    /** The top of the work tree the project directory is in. */
    readonly repoRoot: string;
    /** The project directory relative to `repoRoot` ("" at the top). */
    readonly prefix: string;
}

export type BaselineResult =
    | { readonly ok: true; readonly commit: GitCommit; readonly report: CheckReportJson }
    | { readonly ok: false; readonly commit: GitCommit; readonly reason: string };

/** `ref` resolved to a commit of the repository `dir` is in, or a message saying why it cannot be. */
export function resolveGitCommit(ref: string, dir: string): GitCommit | string {
    if (ref.startsWith("-")) {
        return `"${ref}" is not a git ref`;
    }
    const git = (...args: string[]) => spawnSync("git", ["-C", dir, ...args], { encoding: "utf8" });
    const top = git("rev-parse", "--show-toplevel");
    if (top.error || top.status !== 0) {
        return `${dir} is not in a git work tree${top.error ? ` (${top.error.message})` : ""}`;
    }
    const sha = git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    if (sha.status !== 0) {
        return `"${ref}" is not a commit of ${top.stdout.trim()} (a branch, tag or SHA; a shallow CI checkout must fetch it first)`;
    }
    return { ref, sha: sha.stdout.trim(), repoRoot: top.stdout.trim(), prefix: git("rev-parse", "--show-prefix").stdout.trim() };
}

export interface BaselineOptions {
    readonly commit: GitCommit;
    readonly stack: string;
    /** The installed tool: its `node_modules` serves the commit when both have the same lock file. */
    readonly toolRoot: string;
    /** Progress and the output of `npm ci`, for stderr. */
    readonly log: (text: string) => void;
}

/**
 * Runs the commit's check of `stack` with `--json`. Never throws for a baseline that cannot be had (a
 * stack or a check the commit does not have, a failing program): the result says why, and the caller
 * reports without a comparison.
 */
export async function checkAtCommit(opts: BaselineOptions): Promise<BaselineResult> {
    const { commit, stack } = opts;
    const fail = (reason: string): BaselineResult => ({ ok: false, commit, reason });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iot-check-baseline-"));
    try {
        const tree = path.join(tmp, "tree");
        fs.mkdirSync(tree);
        const archive = path.join(tmp, "commit.tar");
        const extracted = run("git", ["-C", commit.repoRoot, "archive", "--format=tar", "-o", archive, commit.sha]) ?? run("tar", ["-xf", archive, "-C", tree]);
        if (extracted !== undefined) {
            return fail(`could not extract ${commitLabel(commit)}: ${extracted}`);
        }
        const project = path.join(tree, commit.prefix);
        if (!fs.existsSync(path.join(project, `Pulumi.${stack}.yaml`))) {
            return fail(`stack "${stack}" does not exist at ${commitLabel(commit)} (no ${path.posix.join(commit.prefix, `Pulumi.${stack}.yaml`)})`);
        }
        if (!fs.existsSync(path.join(tree, "scripts", "check.ts"))) {
            return fail(`${commitLabel(commit)} has no offline check (scripts/check.ts)`);
        }
        const installed = await install(tree, opts);
        if (installed !== undefined) {
            return fail(`npm ci failed at ${commitLabel(commit)}: ${installed}`);
        }
        opts.log(`running the offline check of ${commitLabel(commit)}\n`);
        const child = await capture(process.execPath, ["-r", "./tools/register.js", "scripts/check.ts", "--stack", stack, "--json", "--project-dir", project], tree);
        // Exit 1 is a verdict (a mandatory violation at the base), and its report is a baseline like any other.
        if (child.code !== 0 && child.code !== 1) {
            return fail(`the check at ${commitLabel(commit)} exited ${child.code ?? child.signal}: ${lastLines(child.stderr)}`);
        }
        return { ok: true, commit, report: parseCheckReport(child.stdout, `the --json report of ${commitLabel(commit)}`) };
    } catch (err) {
        return fail((err as Error).message);
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** "main (1a2b3c4d)", or the short SHA alone when the ref is a SHA. */
export function commitLabel(commit: GitCommit): string {
    const sha = commit.sha.slice(0, 8);
    return commit.sha.startsWith(commit.ref) ? sha : `${commit.ref} (${sha})`;
}

/** Dependencies for the extracted commit: the tool's own when the lock files match, else `npm ci`. */
async function install(tree: string, opts: BaselineOptions): Promise<string | undefined> {
    const lock = (dir: string) => {
        const file = path.join(dir, "package-lock.json");
        return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    };
    const own = lock(opts.toolRoot);
    const modules = path.join(opts.toolRoot, "node_modules");
    if (own !== undefined && own === lock(tree) && fs.existsSync(modules)) {
        fs.symlinkSync(fs.realpathSync(modules), path.join(tree, "node_modules"), "dir");
        return undefined;
    }
    opts.log(`installing the dependencies of ${commitLabel(opts.commit)} (its package-lock.json differs)\n`);
    const npm = await capture("npm", ["ci", "--no-audit", "--no-fund"], tree);
    opts.log(npm.stdout + npm.stderr);
    return npm.code === 0 ? undefined : lastLines(npm.stderr);
}

/** undefined on success, else what went wrong. */
function run(command: string, args: string[]): string | undefined {
    const r = spawnSync(command, args, { encoding: "utf8" });
    if (r.error) {
        return r.error.message;
    }
    return r.status === 0 ? undefined : lastLines(r.stderr);
}

interface Captured {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Asynchronous, so the baseline's check runs alongside the current one. */
function capture(command: string, args: string[], cwd: string): Promise<Captured> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        // A command that cannot start is a failed run like any other, not an exception.
        child.on("error", (e) => resolve({ code: null, signal: null, stdout: "", stderr: e.message }));
        child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
}

function lastLines(text: string, n = 5): string {
    const lines = text.trim().split("\n").filter((l) => l.trim() !== "");
    return lines.length === 0 ? "(no message)" : lines.slice(-n).join("\n");
}
