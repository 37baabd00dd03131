/**
 * Times the test suite and one stack's mock run as whole processes (what a developer waits for).
 * Usage: npm run bench [-- --runs N]
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;

function time(label: string, command: string, args: string[]): void {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(command, args, { cwd: ROOT, stdio: "pipe", encoding: "utf8" });
        samples.push(Number(process.hrtime.bigint() - started) / 1e9);
        if (result.status !== 0) {
            throw new Error(`${label} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
        }
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)];
    console.log(`${label.padEnd(34)} median ${median.toFixed(2)} s  (min ${samples[0].toFixed(2)}, max ${samples[samples.length - 1].toFixed(2)}, ${RUNS} runs)`);
}

time("npm test", "npm", ["test", "--silent"]);
time("mock run of prod (whole process)", "npx", ["ts-node", "--transpile-only", "scripts/mock-run.ts", "prod"]);
