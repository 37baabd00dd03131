/** The incident process (`iot-platform:incident`): the escalation ladder PagerDuty applies and the runbooks describe. */
import { z } from "zod";
import { EscalationLadder, ladderProblems, SEED_LADDER, TARGET_TYPES } from "../../components/incident/ladder";
import { oneOf, Problem, strictObject } from "./schema";

const wholeMinutes = z.number({ error: "must be a whole number of minutes" }).int({ error: "must be a whole number of minutes" });

const targetSchema = strictObject({
    /** An on-call schedule or a user. */
    type: oneOf(TARGET_TYPES),
    /** The PagerDuty id (Schedules or People page, or the REST API), e.g. PABC123. */
    id: z.string({ error: "must be a PagerDuty id like PABC123" }),
});

const levelSchema = strictObject({
    name: z.string({ error: "must be a string naming who this level is" }),
    escalateAfterMinutes: wholeMinutes,
    targets: z.array(targetSchema, { error: "must be a list of { type, id }" }).optional(),
});

export const incidentSchema = strictObject({
    escalation: strictObject({
        levels: z.array(levelSchema, { error: "must be a list of levels" }),
        repeat: z.number({ error: "must be a whole number from 0 to 9" }).default(0),
        team: z.string({ error: "must be a PagerDuty team id like PABC123" }).optional(),
    }).prefault(SEED_LADDER as never),
}).prefault({});

/**
 * The ladder's rules that zod does not express: delays PagerDuty accepts, at least one level, no
 * empty target list, ids shaped like PagerDuty's; targets on every level once the program manages
 * PagerDuty (`pagerdutyToken` set).
 */
export function incidentProblems(ladder: EscalationLadder, pagerdutyManaged: boolean): Problem[] {
    return ladderProblems(ladder, pagerdutyManaged).map((p) => ({ path: ["incident", "escalation", ...p.path], message: p.message }));
}
