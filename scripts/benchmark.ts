/**
 * Times what developers and CI wait for, as whole processes, plus where the offline check's time
 * goes. Usage: npm run bench [-- --runs N]
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { PACK_DIR, runCheck } from "../tools/check/run";
import { PolicyPackProcess } from "../tools/policy/analyzer";

const ROOT = path.resolve(__dirname, "..");
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;

function median(samples: number[]): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function report(label: string, samplesMs: number[]): void {
    const s = samplesMs.map((ms) => ms / 1000);
    console.log(`${label.padEnd(46)} median ${median(s).toFixed(2)} s  (min ${Math.min(...s).toFixed(2)}, max ${Math.max(...s).toFixed(2)}, ${s.length} runs)`);
}

function timeProcess(label: string, command: string, args: string[], okCodes = [0]): void {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(command, args, { cwd: ROOT, stdio: "pipe", encoding: "utf8" });
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (!okCodes.includes(result.status ?? -1)) {
            throw new Error(`${label} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
        }
    }
    report(label, samples);
}

async function checkPhases(): Promise<void> {
    const startup: number[] = [];
    const packReady: number[] = [];
    const program: number[] = [];
    const analyze: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        let started = process.hrtime.bigint();
        spawnSync(process.execPath, ["-r", "./tools/register.js", "-e", "require('./tools/check/run')"], { cwd: ROOT });
        startup.push(Number(process.hrtime.bigint() - started) / 1e6);

        started = process.hrtime.bigint();
        const pack = await PolicyPackProcess.start(PACK_DIR);
        await pack.info();
        packReady.push(Number(process.hrtime.bigint() - started) / 1e6);
        try {
            const marks: bigint[] = [];
            await runCheck({ stack: "prod", progress: () => marks.push(process.hrtime.bigint()) }, pack);
            const done = process.hrtime.bigint();
            // marks: [pack start, program start, analysis start]
            program.push(Number(marks[2] - marks[1]) / 1e6);
            analyze.push(Number(done - marks[2]) / 1e6);
        } finally {
            pack.close();
        }
    }
    console.log("where the offline check's time goes (the pack starts while the program runs):");
    report("  node start-up + loading the check's modules", startup);
    report("  policy pack process ready (parallel)", packReady);
    report("  prod program under mocks + conversion", program);
    report("  analyze + analyze stack + cost", analyze);
}

async function main(): Promise<void> {
    timeProcess("npm test", "npm", ["test", "--silent"]);
    timeProcess("npm run test:charts (Helm renders, both stacks)", "npm", ["run", "--silent", "test:charts"]);
    timeProcess("mock run of prod (whole process)", process.execPath, ["-r", "./tools/register.js", "scripts/mock-run.ts", "prod"]);
    timeProcess("npm run check -- --stack prod (whole process)", "npm", ["run", "--silent", "check", "--", "--stack", "prod"]);
    // The pull-request form: the base commit's check runs alongside (HEAD: same lock file, so node_modules is linked, no npm ci).
    timeProcess("check --stack prod --baseline-ref HEAD", "npm", ["run", "--silent", "check", "--", "--stack", "prod", "--markdown", "--baseline-ref", "HEAD"]);
    timeProcess("npm run test:e2e", "npm", ["run", "--silent", "test:e2e"]);
    await checkPhases();
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
