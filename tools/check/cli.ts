/**
 * The offline check's command line. Parsing is pure (the file system comes in through `CliEnv`) and
 * light: it loads neither the program nor the pack, so every argument and config-file mistake is
 * reported before either starts.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { didYouMean } from "../../stacks/config/schema";
import { GitCommit, resolveGitCommit } from "./baseline";
import { CheckReportJson, parseCheckReport } from "./compare";
import { CheckSetupError } from "./errors";

export const USAGE_LINE = "usage: iot-check --stack <name> [--json | --markdown] [--diagram] [--all] [--policy-config <file>] [--compare <baseline.json> | --baseline-ref <git ref>] [--project-dir <dir>]";

export const HELP = `${USAGE_LINE}
       npm run --silent check -- --stack <name> [options]

Runs a stack's Pulumi program under mocks, checks every resource with the policy pack and prices
the stack, offline: no cloud account, no Pulumi backend.

options:
  --stack <name>             the stack to check: Pulumi.<name>.yaml in the project directory
  --json                     the report as JSON on stdout (nothing else is written to stdout)
  --markdown                 the report as Markdown, as the pull-request comment shows it
  --diagram                  add the Mermaid diagram of the stack (a "diagram" field with --json)
  --all                      every cost line, not only the largest
  --policy-config <file>     judge by this policy pack config (default: policy/config/<environment>.json)
  --compare <baseline.json>  the cost change against a report of the same stack written with --json
                             (a "comparison" field with --json)
  --baseline-ref <git ref>   the cost change against the same stack at a commit (a branch, tag or SHA):
                             that commit's own check runs on its own files, in a temporary directory
  --project-dir <dir>        where the Pulumi.<name>.yaml files are (default: this repository)
  -h, --help                 this text

exit codes:
  0  no mandatory violation
  1  at least one mandatory violation
  2  a wrong argument, a config file or the program failed; nothing was judged

Errors go to stderr. Use \`npx iot-check\` or \`npm run --silent check --\` for clean JSON:
without --silent, npm prints its own banner on stdout first.`;

export type OutputFormat = "text" | "json" | "markdown";

export interface CheckArgs {
    readonly stack: string;
    /** Absolute. */
    readonly projectDir: string;
    /** Absolute; unset means the pack's config for the stack's environment. */
    readonly policyConfig?: string;
    readonly format: OutputFormat;
    readonly diagram: boolean;
    /** Every cost line in the report instead of the largest ones. */
    readonly allCostLines: boolean;
    readonly compare?: { readonly file: string; readonly baseline: CheckReportJson };
    /** The commit whose own check gives the baseline. */
    readonly baselineRef?: GitCommit;
}

/** What parsing needs from outside, so tests can hand in a directory of their own. */
export interface CliEnv {
    /** Relative paths in arguments resolve against it. */
    readonly cwd: string;
    readonly defaultProjectDir: string;
    /** The stacks with a `Pulumi.<name>.yaml` in `dir`. */
    readonly stacks: (dir: string) => readonly string[];
    /** A file's text, or undefined when there is no such file. */
    readonly readFile: (file: string) => string | undefined;
    /** `ref` as a commit of the repository `dir` is in, or why it is not one. */
    readonly resolveCommit: (ref: string, dir: string) => GitCommit | string;
}

export type Parsed = { readonly help: true } | ({ readonly help: false } & CheckArgs);

export function nodeCliEnv(defaultProjectDir: string): CliEnv {
    return {
        cwd: process.cwd(),
        defaultProjectDir,
        stacks: stacksIn,
        readFile: (file) => (fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, "utf8") : undefined),
        resolveCommit: resolveGitCommit,
    };
}

export function stacksIn(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

const OPTIONS = {
    stack: { type: "string" },
    json: { type: "boolean" },
    markdown: { type: "boolean" },
    diagram: { type: "boolean" },
    all: { type: "boolean" },
    "policy-config": { type: "string" },
    compare: { type: "string" },
    "baseline-ref": { type: "string" },
    "project-dir": { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

/** Throws CheckSetupError (exit 2) with a message naming the argument, and the usage where it helps. */
export function parseCheckArgs(argv: readonly string[], env: CliEnv): Parsed {
    let values;
    try {
        values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
    } catch (err) {
        if (argv.includes("--help") || argv.includes("-h")) {
            return { help: true };
        }
        throw usageError(parseErrorMessage(err as Error & { code?: string }));
    }
    if (values.help) {
        return { help: true };
    }
    if (values.json && values.markdown) {
        throw usageError("--json and --markdown cannot be used together: choose one output format");
    }
    if (values.compare !== undefined && values["baseline-ref"] !== undefined) {
        throw usageError("--compare and --baseline-ref cannot be used together: choose one baseline");
    }
    const projectDir = path.resolve(env.cwd, values["project-dir"] ?? env.defaultProjectDir);
    const stacks = env.stacks(projectDir);
    if (values["project-dir"] !== undefined && stacks.length === 0) {
        throw new CheckSetupError(`--project-dir: no Pulumi.<stack>.yaml in ${projectDir}`);
    }
    if (values.stack === undefined || values.stack === "") {
        throw usageError(`--stack is required; stacks in ${projectDir}: ${stacks.join(", ")}`);
    }
    const stack = values.stack;
    if (!stacks.includes(stack)) {
        const guess = didYouMean(stack, stacks);
        throw new CheckSetupError(`unknown stack "${stack}"${guess ? ` (did you mean "${guess}"?)` : ""}: no Pulumi.${stack}.yaml in ${projectDir}; stacks there: ${stacks.join(", ")}`);
    }
    let policyConfig: string | undefined;
    if (values["policy-config"] !== undefined) {
        policyConfig = path.resolve(env.cwd, values["policy-config"]);
        if (env.readFile(policyConfig) === undefined) {
            throw new CheckSetupError(`--policy-config: no such file ${policyConfig}`);
        }
    }
    let compare: CheckArgs["compare"];
    if (values.compare !== undefined) {
        const file = path.resolve(env.cwd, values.compare);
        const text = env.readFile(file);
        if (text === undefined) {
            throw new CheckSetupError(`--compare: no such file ${file}; write a baseline with \`iot-check --stack ${stack} --json > baseline.json\``);
        }
        let baseline;
        try {
            baseline = parseCheckReport(text, file);
        } catch (err) {
            throw new CheckSetupError(`--compare: ${(err as Error).message}`);
        }
        if (baseline.stack !== stack) {
            throw new CheckSetupError(`--compare: ${file} is the report of stack "${baseline.stack}", not "${stack}"`);
        }
        compare = { file, baseline };
    }
    let baselineRef: GitCommit | undefined;
    if (values["baseline-ref"] !== undefined) {
        const resolved = env.resolveCommit(values["baseline-ref"], projectDir);
        if (typeof resolved === "string") {
            throw new CheckSetupError(`--baseline-ref: ${resolved}`);
        }
        baselineRef = resolved;
    }
    return {
        help: false,
        stack,
        projectDir,
        policyConfig,
        format: values.json ? "json" : values.markdown ? "markdown" : "text",
        diagram: values.diagram ?? false,
        allCostLines: values.all ?? false,
        compare,
        baselineRef,
    };
}

function usageError(message: string): CheckSetupError {
    return new CheckSetupError(`${message}\n${USAGE_LINE}\nRun with --help for what each option does.`);
}

/** node:util's messages, shortened to the argument and what is wrong with it. */
function parseErrorMessage(err: Error & { code?: string }): string {
    const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? "";
    switch (err.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
            const name = quoted.replace(/=.*$/, "");
            const guess = didYouMean(name.replace(/^-+/, ""), Object.keys(OPTIONS));
            return `unknown option ${name}${guess ? ` (did you mean --${guess}?)` : ""}`;
        }
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
            const name = quoted.replace(/ <value>$/, "");
            return /does not take an argument/.test(err.message) ? `${name} takes no value` : `${name} needs a value`;
        }
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return `unexpected argument "${quoted}": every argument is an option (--stack <name>, not <name>)`;
        default:
            return err.message;
    }
}
