/**
 * npm run check -- --stack <name> [--policy-config <file>] [--json | --markdown] [--diagram] [--project-dir <dir>]
 * --project-dir: where Pulumi.<stack>.yaml lives (default: this repository).
 * Exit codes: 0 no mandatory violation, 1 at least one, 2 the program or a config failed.
 */
import * as path from "path";
import { CheckSetupError } from "../tools/check/errors";
import { PolicyPackProcess } from "../tools/policy/analyzer";

const USAGE = "usage: npm run check -- --stack <name> [--policy-config <file>] [--json | --markdown] [--diagram] [--project-dir <dir>]";

interface Args {
    stack: string;
    policyConfig?: string;
    projectDir?: string;
    format: "text" | "json" | "markdown";
    diagram: boolean;
}

function parseArgs(argv: string[]): Args {
    const args: Partial<Args> = { format: "text", diagram: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) {
                throw new CheckSetupError(`${flag} needs a value\n${USAGE}`);
            }
            return v;
        };
        switch (flag) {
            case "--stack": args.stack = value(); break;
            case "--policy-config": args.policyConfig = path.resolve(value()); break;
            case "--project-dir": args.projectDir = path.resolve(value()); break;
            case "--json": args.format = "json"; break;
            case "--markdown": args.format = "markdown"; break;
            case "--diagram": args.diagram = true; break;
            default: throw new CheckSetupError(`unknown argument "${flag}"\n${USAGE}`);
        }
    }
    if (!args.stack) {
        throw new CheckSetupError(`--stack is required\n${USAGE}`);
    }
    return args as Args;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const showProgress = args.format !== "json" && process.stderr.isTTY;
    const started = Date.now();
    // The pack's start-up overlaps with loading the program's modules and running it.
    const pack = PolicyPackProcess.start(path.resolve(__dirname, "../policy"));
    pack.catch(() => undefined);
    const { runCheck } = await import("../tools/check/run");
    const { mandatoryCount, renderJson, renderMarkdown, renderText } = await import("../tools/check/report");
    let result;
    try {
        result = await runCheck({
            stack: args.stack,
            policyConfig: args.policyConfig,
            projectDir: args.projectDir,
            progress: showProgress ? (step) => process.stderr.write(`\r\x1b[2K[${((Date.now() - started) / 1000).toFixed(1)}s] ${step}...`) : undefined,
        }, pack);
    } finally {
        (await pack.catch(() => undefined))?.close();
    }
    if (showProgress) {
        process.stderr.write("\r\x1b[2K");
    }
    if (args.format === "json") {
        process.stdout.write(`${renderJson(result, args.diagram)}\n`);
    } else {
        process.stdout.write(`${args.format === "markdown" ? renderMarkdown(result) : renderText(result)}\n`);
        if (args.diagram) {
            process.stdout.write(`\n\`\`\`mermaid\n${result.diagram}\n\`\`\`\n`);
        }
    }
    return mandatoryCount(result) === 0 ? 0 : 1;
}

main().then((code) => {
    process.exitCode = code;
}, (err) => {
    process.stderr.write(`${err instanceof CheckSetupError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
});
