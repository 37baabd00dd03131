/**
 * The offline check: `iot-check --help` (or `npm run --silent check -- --help`) for the options.
 * Exit codes: 0 no mandatory violation, 1 at least one, 2 an argument, a config or the program failed.
 */
import * as path from "path";
import { HELP, nodeCliEnv, parseCheckArgs } from "../tools/check/cli";
import { checkAtCommit, commitLabel } from "../tools/check/baseline";
import { compareReports, CostComparison, renderComparisonMarkdown, renderComparisonText } from "../tools/check/compare";
import { CheckSetupError } from "../tools/check/errors";

const PROJECT_DIR = path.resolve(__dirname, "..");

async function main(): Promise<number> {
    // Arguments and the files they name are checked before the pack or the program is loaded.
    const parsed = parseCheckArgs(process.argv.slice(2), nodeCliEnv(PROJECT_DIR));
    if (parsed.help) {
        process.stdout.write(`${HELP}\n`);
        return 0;
    }
    const args = parsed;
    const showProgress = args.format !== "json" && process.stderr.isTTY;
    const started = Date.now();
    // The base commit's check runs in its own process, alongside this one.
    const baselineRun = args.baselineRef && checkAtCommit({ commit: args.baselineRef, stack: args.stack, toolRoot: PROJECT_DIR, log: (text) => process.stderr.write(text) });
    const { PolicyPackProcess } = await import("../tools/policy/analyzer");
    // The pack's start-up overlaps with loading the program's modules and running it.
    const pack = PolicyPackProcess.start(path.join(PROJECT_DIR, "policy"));
    pack.catch(() => undefined);
    // Whatever the program logs (pulumi.log.info falls back to console.log under mocks) must not
    // land in the report on stdout.
    console.log = console.info = console.error;
    const { runCheck, shownPath } = await import("../tools/check/run");
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
    // The comparison reads the new result in its JSON form, the same form the baseline was written in.
    const current = JSON.parse(renderJson(result, args.diagram));
    let comparison: CostComparison | undefined;
    let noComparison: string | undefined;
    if (args.compare) {
        comparison = compareReports(args.compare.baseline, current, shownPath(process.cwd(), args.compare.file));
    } else if (baselineRun) {
        const baseline = await baselineRun;
        if (baseline.ok) {
            comparison = compareReports(baseline.report, current, commitLabel(baseline.commit));
        } else {
            // A base that cannot be checked (a new stack, a broken base) leaves the report without a comparison, not without a report.
            noComparison = `no cost comparison against ${commitLabel(baseline.commit)}: ${baseline.reason}`;
            process.stderr.write(`${noComparison}\n`);
        }
    }
    if (args.format === "json") {
        const doc = { ...current, ...(comparison ? { comparison } : {}), ...(noComparison ? { noComparison } : {}) };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } else if (args.format === "markdown") {
        // A pull-request comment leads with what the change does to the bill.
        const lead = comparison ? [renderComparisonMarkdown(comparison)] : noComparison ? [`> ${noComparison.replace(/\n/g, "\n> ")}`] : [];
        const parts = [...lead, renderMarkdown(result, { all: args.allCostLines })];
        if (args.diagram) {
            parts.push(`\`\`\`mermaid\n${result.diagram}\n\`\`\``);
        }
        process.stdout.write(`${parts.join("\n\n")}\n`);
    } else {
        const parts = [renderText(result, { all: args.allCostLines }), ...(comparison ? [renderComparisonText(comparison)] : noComparison ? [noComparison] : [])];
        if (args.diagram) {
            parts.push(`\`\`\`mermaid\n${result.diagram}\n\`\`\``);
        }
        process.stdout.write(`${parts.join("\n\n")}\n`);
    }
    return mandatoryCount(result) === 0 ? 0 : 1;
}

main().then((code) => {
    process.exitCode = code;
}, (err) => {
    process.stderr.write(`${err instanceof CheckSetupError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
});
