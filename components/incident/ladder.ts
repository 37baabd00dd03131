/**
 * The escalation ladder: who is paged first, and how long an unacknowledged incident waits before it
 * goes one level up. Plain data and plain functions: the config loader validates it, the PagerDuty
 * component turns it into an escalation policy, and the runbooks' escalation sections are rendered
 * from it (scripts/render-runbooks.ts), so the text cannot drift from what PagerDuty does.
 */

/** PagerDuty escalation targets: an on-call schedule or a single user (teams own a policy, they are not targets). */
export const TARGET_TYPES = ["schedule", "user"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** The `type` PagerDuty's API (and the provider's `rules[].targets[].type`) expects for each target kind. */
export const PAGERDUTY_TARGET_REFERENCE: Readonly<Record<TargetType, string>> = {
    schedule: "schedule_reference",
    user: "user_reference",
};

/**
 * The provider's limits (PagerDuty/terraform-provider-pagerduty, resource_pagerduty_escalation_policy.go:
 * `escalation_delay_in_minutes` IntAtLeast(1), `num_loops` IntBetween(0, 9)).
 */
export const MIN_ESCALATION_DELAY_MINUTES = 1;
export const MAX_REPEAT = 9;

/** A PagerDuty object id as the REST API prints it (e.g. PABC123): uppercase letters and digits. */
export const PAGERDUTY_ID = /^[A-Z0-9]{7,20}$/;

export interface EscalationTarget {
    readonly type: TargetType;
    /** PagerDuty id of the schedule or user. */
    readonly id: string;
}

export interface EscalationLevel {
    /** Who this level is, as people say it ("on-call engineer", "Level 4: platform lead"). */
    readonly name: string;
    /** Minutes an unacknowledged incident stays at this level before it escalates to the next. */
    readonly escalateAfterMinutes: number;
    /** Who is notified at this level. Required once PagerDuty is managed by the program. @default [] */
    readonly targets?: readonly EscalationTarget[];
}

export interface EscalationLadder {
    readonly levels: readonly EscalationLevel[];
    /** Times PagerDuty runs the whole ladder again after its last level (the policy's `num_loops`). @default 0 */
    readonly repeat?: number;
    /** PagerDuty team that owns the policy. @default none */
    readonly team?: string;
}

/**
 * The ladder of the migration's incident process (the seed's "ACTIONS"): the on-call engineer first,
 * the dev support team by email if not resolved within 15 minutes, level 4 after one hour, level 5
 * beyond. Shipped as the documented example in both stack files.
 */
export const SEED_LADDER: EscalationLadder = {
    levels: [
        { name: "on-call engineer", escalateAfterMinutes: 15 },
        { name: "dev support team", escalateAfterMinutes: 45 },
        { name: "level 4: platform lead", escalateAfterMinutes: 60 },
        { name: "level 5: head of engineering", escalateAfterMinutes: 60 },
    ],
    repeat: 0,
};

/** A problem found in a ladder: the path below the ladder's key, and what is wrong. */
export interface LadderProblem {
    readonly path: readonly (string | number)[];
    readonly message: string;
}

/**
 * What is wrong with `ladder`. With `requireTargets` (PagerDuty managed by the program) every level
 * must name whom it notifies; an explicit empty list is wrong either way.
 */
export function ladderProblems(ladder: EscalationLadder, requireTargets: boolean): LadderProblem[] {
    const problems: LadderProblem[] = [];
    if (ladder.levels.length === 0) {
        problems.push({ path: ["levels"], message: "must list at least one level: an incident must notify someone" });
    }
    const repeat = ladder.repeat ?? 0;
    if (!Number.isInteger(repeat) || repeat < 0 || repeat > MAX_REPEAT) {
        problems.push({ path: ["repeat"], message: `must be a whole number from 0 to ${MAX_REPEAT} (PagerDuty's num_loops)` });
    }
    if (ladder.team !== undefined && !PAGERDUTY_ID.test(ladder.team)) {
        problems.push({ path: ["team"], message: "must be a PagerDuty team id like PABC123" });
    }
    const names = new Set<string>();
    ladder.levels.forEach((level, i) => {
        if (level.name.trim() === "") {
            problems.push({ path: ["levels", i, "name"], message: "must not be empty" });
        } else if (names.has(level.name)) {
            problems.push({ path: ["levels", i, "name"], message: `"${level.name}" names an earlier level too; each level has its own name` });
        }
        names.add(level.name);
        if (!Number.isInteger(level.escalateAfterMinutes) || level.escalateAfterMinutes < MIN_ESCALATION_DELAY_MINUTES) {
            problems.push({ path: ["levels", i, "escalateAfterMinutes"], message: `must be a whole number of minutes, at least ${MIN_ESCALATION_DELAY_MINUTES} (PagerDuty's escalation_delay_in_minutes)` });
        }
        const targets = level.targets;
        if (targets !== undefined && targets.length === 0) {
            problems.push({ path: ["levels", i, "targets"], message: "must not be empty: list the schedules or users this level notifies, or leave the key out" });
        } else if (targets === undefined && requireTargets) {
            problems.push({ path: ["levels", i, "targets"], message: "required when pagerdutyToken is set: the program creates the escalation policy and each level must notify someone" });
        }
        (targets ?? []).forEach((target, j) => {
            if (!(TARGET_TYPES as readonly string[]).includes(target.type)) {
                problems.push({ path: ["levels", i, "targets", j, "type"], message: `must be one of ${TARGET_TYPES.join(", ")}` });
            }
            if (!PAGERDUTY_ID.test(target.id)) {
                problems.push({ path: ["levels", i, "targets", j, "id"], message: "must be a PagerDuty schedule or user id like PABC123" });
            }
        });
    });
    return problems;
}

/** The escalation policy's rules, as `@pulumi/pagerduty` EscalationPolicy `rules` take them. */
export function escalationRules(ladder: EscalationLadder) {
    return ladder.levels.map((level) => ({
        escalationDelayInMinutes: level.escalateAfterMinutes,
        targets: (level.targets ?? []).map((t) => ({ type: PAGERDUTY_TARGET_REFERENCE[t.type], id: t.id })),
    }));
}

/** Minutes after the page at which each level is notified: 0 for the first, then the running sum of delays. */
export function levelStartMinutes(ladder: EscalationLadder): number[] {
    let start = 0;
    return ladder.levels.map((level) => {
        const at = start;
        start += level.escalateAfterMinutes;
        return at;
    });
}

/** "15 minutes", "1 hour", "2 hours", "1 hour 30 minutes". */
export function formatMinutes(minutes: number): string {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    const parts = [
        hours > 0 ? `${hours} hour${hours === 1 ? "" : "s"}` : "",
        rest > 0 || hours === 0 ? `${rest} minute${rest === 1 ? "" : "s"}` : "",
    ].filter(Boolean);
    return parts.join(" ");
}

/**
 * The ladder as the on-call reads it, one line per level with the time since the page at which that
 * level is notified (PagerDuty's delays are per level; people think in time since the page).
 */
export function ladderLines(ladder: EscalationLadder): string[] {
    const starts = levelStartMinutes(ladder);
    const last = ladder.levels.length - 1;
    const lines = ladder.levels.map((level, i) => {
        const when = i === 0 ? "**At once**" : `**${formatMinutes(starts[i])}** unacknowledged`;
        const next = i < last ? `; escalates after ${formatMinutes(level.escalateAfterMinutes)}` : "";
        return `${i + 1}. ${when}: ${level.name}${next}.`;
    });
    const repeat = ladder.repeat ?? 0;
    lines.push(repeat > 0
        ? `After the last level PagerDuty starts again from level 1, ${repeat} more time${repeat === 1 ? "" : "s"}.`
        : "The last level keeps the incident until it is resolved.");
    return lines;
}
