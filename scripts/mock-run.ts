/**
 * Runs one stack's program under mocks and prints what it registers, by type.
 * Usage: node -r ./tools/register.js scripts/mock-run.ts <stack>
 */
import * as path from "path";
import { runPlatformProgram } from "../tools/mockProgram";
import { readStackFile, stackFilePath } from "../tools/stackFile";

async function main(): Promise<void> {
    const stack = process.argv[2];
    if (!stack) {
        throw new Error("usage: mock-run.ts <stack>");
    }
    const started = process.hrtime.bigint();
    const { config, secretKeys } = readStackFile(stackFilePath(path.resolve(__dirname, ".."), stack));
    const run = await runPlatformProgram(config, stack, secretKeys);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const counts = new Map<string, number>();
    run.resources.forEach((r) => counts.set(r.type, (counts.get(r.type) ?? 0) + 1));
    [...counts.entries()].sort().forEach(([type, n]) => console.log(`${String(n).padStart(4)}  ${type}`));
    console.log(`${run.resources.length} resources registered in ${ms.toFixed(0)} ms`);
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
});
