import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SEED_LADDER } from "../../components/incident/ladder";
import { escalationSection, RCA_TEMPLATE_LINK } from "../../components/incident/runbook";
import { runbookChanges, RUNBOOKS_DIR, shippedLadder } from "../../scripts/render-runbooks";
import { PROJECT_DIR, stackConfig, withConfig, writeStackFile } from "../util";

const runbooks = () => fs.readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith(".md"));

describe("runbooks and the escalation ladder", () => {
    it("every runbook's escalation section is the one rendered from the stacks' ladder", () => {
        const stale = [...runbookChanges(shippedLadder()).keys()].map((f) => path.basename(f));
        assert.deepEqual(stale, [], "run: node -r ./tools/register.js scripts/render-runbooks.ts");
    });

    it("a change to the ladder makes every runbook stale (the check compares real text)", () => {
        const ladder = { ...SEED_LADDER, levels: SEED_LADDER.levels.map((l, i) => (i === 0 ? { ...l, escalateAfterMinutes: 10 } : l)) };
        assert.equal(runbookChanges(ladder).size, runbooks().length);
        assert.match(escalationSection(ladder), /2\. \*\*10 minutes\*\* unacknowledged: dev support team/);
    });

    it("refuses stacks whose ladders differ, since one set of runbooks describes them", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ladders-"));
        try {
            writeStackFile(dir, "prod", stackConfig("prod"));
            writeStackFile(dir, "staging", withConfig("staging", "incident", (c) => { c.value.escalation.levels[1].escalateAfterMinutes = 30; }));
            assert.throws(() => shippedLadder(dir), /iot-platform:incident\.escalation differs between prod and staging/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("every runbook links the incident template, which has the seed's RCA sections", () => {
        for (const file of runbooks()) {
            assert.ok(fs.readFileSync(path.join(RUNBOOKS_DIR, file), "utf8").includes(`](${RCA_TEMPLATE_LINK})`), file);
        }
        const template = fs.readFileSync(path.resolve(RUNBOOKS_DIR, RCA_TEMPLATE_LINK), "utf8");
        for (const section of ["## Impact", "## Timeline (UTC)", "## Root cause", "## Immediate actions if it happens again", "## Runbook updates"]) {
            assert.ok(template.includes(`\n${section}\n`), section);
        }
        assert.match(template, /Approved by the dev team/);
        assert.ok(fs.existsSync(path.join(PROJECT_DIR, "docs", "incidents", "TEMPLATE.md")));
    });
});
