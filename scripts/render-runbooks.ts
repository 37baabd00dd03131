/**
 * Writes the generated "Escalation" section of every runbook in docs/runbooks/ from the escalation
 * ladder of the shipped stacks (which must agree: one set of runbooks describes them all).
 *
 * Usage: node -r ./tools/register.js scripts/render-runbooks.ts [--check]
 *   --check   write nothing; exit 1 and list the runbooks whose section differs
 */
import * as fs from "fs";
import * as path from "path";
import { EscalationLadder } from "../components/incident/ladder";
import { escalationSection, withEscalationSection } from "../components/incident/runbook";
import { parsePlatformConfig } from "../stacks/config";
import { readStackFile, StackFileConfig, stackFilePath } from "../tools/stackFile";
import { shippedStacks } from "./render-monitoring";

const PROJECT_DIR = path.resolve(__dirname, "..");
export const RUNBOOKS_DIR = path.join(PROJECT_DIR, "docs", "runbooks");

/** What the runbooks describe of a ladder: the levels' names and minutes and the repeat count, not the PagerDuty ids. */
function described(ladder: EscalationLadder) {
    return JSON.stringify({ levels: ladder.levels.map((l) => [l.name, l.escalateAfterMinutes]), repeat: ladder.repeat ?? 0 });
}

function ladderOf(file: StackFileConfig): EscalationLadder {
    return parsePlatformConfig(file.config, { isSecret: (key) => file.secretKeys.includes(key), zones: undefined, today: new Date() }).incident.escalation;
}

/** The ladder every shipped stack declares; an error naming the stacks when they disagree. */
export function shippedLadder(projectDir = PROJECT_DIR): EscalationLadder {
    const ladders = shippedStacks(projectDir).map((stack) => ({
        stack,
        ladder: ladderOf(readStackFile(stackFilePath(projectDir, stack))),
    }));
    const differing = ladders.filter((l) => described(l.ladder) !== described(ladders[0].ladder));
    if (differing.length > 0) {
        throw new Error(`iot-platform:incident.escalation differs between ${ladders[0].stack} and ${differing.map((l) => l.stack).join(", ")}: ` +
            "the runbooks describe one ladder, so every stack must declare the same level names and minutes (targets may differ)");
    }
    return ladders[0].ladder;
}

/** Runbooks whose text would change, with the new text. */
export function runbookChanges(ladder: EscalationLadder, dir = RUNBOOKS_DIR): Map<string, string> {
    const section = escalationSection(ladder);
    const changes = new Map<string, string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) {
        const full = path.join(dir, file);
        const text = fs.readFileSync(full, "utf8");
        const rendered = withEscalationSection(text, section);
        if (rendered !== text) {
            changes.set(full, rendered);
        }
    }
    return changes;
}

if (require.main === module) {
    const check = process.argv.includes("--check");
    const changes = runbookChanges(shippedLadder());
    for (const [file, text] of changes) {
        if (check) {
            console.error(`${path.relative(PROJECT_DIR, file)}: escalation section is out of date; run scripts/render-runbooks.ts`);
        } else {
            fs.writeFileSync(file, text);
            console.log(`wrote ${path.relative(PROJECT_DIR, file)}`);
        }
    }
    process.exitCode = check && changes.size > 0 ? 1 : 0;
}
