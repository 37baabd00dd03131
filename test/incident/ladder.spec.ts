import { strict as assert } from "assert";
import { escalationRules, formatMinutes, ladderLines, levelStartMinutes, SEED_LADDER } from "../../components/incident/ladder";
import { parseConfig, problemsOf, stackConfig, withConfig } from "../util";
import { managedConfig, SECRET_CREDENTIALS } from "./fixtures";

describe("escalation ladder", () => {
    describe("the seed's ladder", () => {
        it("is what both stacks ship, and notifies each level 0 min, 15 min, 1 h and 2 h after the page", () => {
            for (const stack of ["prod", "staging"]) {
                assert.deepEqual(parseConfig(stackConfig(stack)).incident.escalation, SEED_LADDER);
            }
            assert.deepEqual(levelStartMinutes(SEED_LADDER), [0, 15, 60, 120]);
        });

        it("is the default when the stack leaves the key out", () => {
            const config = parseConfig(withConfig("prod", "incident", (c) => { c.value = undefined; }));
            assert.deepEqual(config.incident.escalation, SEED_LADDER);
        });

        it("becomes PagerDuty rules with each level's delay and target references", () => {
            const ladder = parseConfig(managedConfig(), SECRET_CREDENTIALS).incident.escalation;
            assert.deepEqual(escalationRules(ladder), [
                { escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: "PSCHED1" }] },
                { escalationDelayInMinutes: 45, targets: [{ type: "schedule_reference", id: "PSCHED2" }] },
                { escalationDelayInMinutes: 60, targets: [{ type: "user_reference", id: "PUSER01" }] },
                { escalationDelayInMinutes: 60, targets: [{ type: "user_reference", id: "PUSER02" }, { type: "schedule_reference", id: "PSCHED3" }] },
            ]);
        });

        it("renders the runbook text with the time since the page", () => {
            const text = ladderLines(SEED_LADDER).join("\n");
            assert.match(text, /1\. \*\*At once\*\*: on-call engineer; escalates after 15 minutes\./);
            assert.match(text, /2\. \*\*15 minutes\*\* unacknowledged: dev support team; escalates after 45 minutes\./);
            assert.match(text, /3\. \*\*1 hour\*\* unacknowledged: level 4: platform lead; escalates after 1 hour\./);
            assert.match(text, /4\. \*\*2 hours\*\* unacknowledged: level 5: head of engineering\.\nThe last level keeps the incident until it is resolved\./);
            assert.match(ladderLines({ ...SEED_LADDER, repeat: 2 }).join("\n"), /starts again from level 1, 2 more times\.$/);
            assert.deepEqual([formatMinutes(1), formatMinutes(90), formatMinutes(0)], ["1 minute", "1 hour 30 minutes", "0 minutes"]);
        });
    });

    describe("is validated, naming the key", () => {
        const cases: [string, (e: any) => void, string][] = [
            ["no level", (e) => { e.levels = []; }, "iot-platform:incident.escalation.levels: must list at least one level"],
            ["a delay PagerDuty refuses", (e) => { e.levels[1].escalateAfterMinutes = 0; }, "iot-platform:incident.escalation.levels[dev support team].escalateAfterMinutes: must be a whole number of minutes, at least 1"],
            ["a fractional delay", (e) => { e.levels[0].escalateAfterMinutes = 7.5; }, "iot-platform:incident.escalation.levels[on-call engineer].escalateAfterMinutes: must be a whole number of minutes"],
            ["an empty target list", (e) => { e.levels[2].targets = []; }, "iot-platform:incident.escalation.levels[level 4: platform lead].targets: must not be empty"],
            ["a level without targets once PagerDuty is managed", (e) => { delete e.levels[3].targets; }, "iot-platform:incident.escalation.levels[level 5: head of engineering].targets: required when pagerdutyToken is set"],
            ["a target that is not a PagerDuty id", (e) => { e.levels[0].targets[0].id = "oncall@example.com"; }, "iot-platform:incident.escalation.levels[on-call engineer].targets.0.id: must be a PagerDuty schedule or user id"],
            ["a team as a target", (e) => { e.levels[0].targets[0].type = "team"; }, "iot-platform:incident.escalation.levels[on-call engineer].targets.0.type: must be one of schedule, user"],
            ["a repeat count above PagerDuty's 9", (e) => { e.repeat = 10; }, "iot-platform:incident.escalation.repeat: must be a whole number from 0 to 9"],
            ["a team id of the wrong shape", (e) => { e.team = "platform"; }, "iot-platform:incident.escalation.team: must be a PagerDuty team id"],
            ["two levels with one name", (e) => { e.levels[1].name = e.levels[0].name; }, "iot-platform:incident.escalation.levels.1.name: \"on-call engineer\" names an earlier level too"],
            ["an unknown key", (e) => { e.levels[0].delay = 5; }, "iot-platform:incident.escalation.levels[on-call engineer].delay: unknown key; allowed keys in iot-platform:incident.escalation.levels[on-call engineer]: name, escalateAfterMinutes, targets"],
        ];
        for (const [what, edit, expected] of cases) {
            it(what, () => {
                const problems = problemsOf(managedConfig(edit), SECRET_CREDENTIALS);
                assert.equal(problems.length, 1, problems.join("\n"));
                assert.ok(problems[0].startsWith(expected), problems[0]);
            });
        }

        it("accepts levels without targets while PagerDuty is not managed (the ladder still drives the runbooks)", () => {
            assert.doesNotThrow(() => parseConfig(stackConfig("prod")));
        });

        it("refuses a hand-set routing key next to the API token, for each key", () => {
            for (const key of ["pagerdutyRoutingKey", "pagerdutyCloudwatchKey"]) {
                const config = { ...managedConfig(), [`iot-platform:${key}`]: "offline-placeholder-secret" };
                assert.deepEqual(problemsOf(config, SECRET_CREDENTIALS), [
                    `iot-platform:${key}: must not be set together with iot-platform:pagerdutyToken: the program creates the integration and its key; remove it with \`pulumi config rm ${key}\``,
                ]);
            }
        });
    });
});
