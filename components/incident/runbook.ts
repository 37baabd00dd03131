/**
 * The parts of every runbook that are generated: the "Escalation" section, from the escalation
 * ladder and the alert routing, so the text says what PagerDuty and Alertmanager really do.
 * scripts/render-runbooks.ts writes it; test/incident/runbooks.spec.ts fails when a runbook drifts.
 */
import { ROUTE_TIMING } from "../monitoring/alertmanagerConfig";
import { EscalationLadder, ladderLines } from "./ladder";

/** Where the root-cause analysis template lives, relative to docs/runbooks/. */
export const RCA_TEMPLATE_LINK = "../incidents/TEMPLATE.md";

export const ESCALATION_BEGIN = "<!-- generated from iot-platform:incident.escalation by scripts/render-runbooks.ts: edit the stack files, then run it -->";
export const ESCALATION_END = "<!-- end of generated section -->";

/** "1h" → "every hour", "12h" → "every 12 hours". */
function every(duration: string): string {
    const hours = /^(\d+)h$/.exec(duration)?.[1];
    if (hours === undefined) {
        throw new Error(`expected a duration in hours, got "${duration}"`);
    }
    return hours === "1" ? "every hour" : `every ${hours} hours`;
}

/** The body of the "Escalation" section, between its heading and the next one. */
export function escalationSection(ladder: EscalationLadder): string {
    return [
        ESCALATION_BEGIN,
        `- **Routing:** Prometheus alerts: \`critical\` pages through PagerDuty and posts to Slack (Alertmanager pages again ${every(ROUTE_TIMING.criticalRepeat)} while it fires), \`warning\` posts to Slack only. CloudWatch alarms: the SNS topic emails its subscribers and pages through PagerDuty's CloudWatch integration.`,
        "- **Ladder** (the PagerDuty escalation policy): an incident nobody acknowledges goes one level up after each level's minutes. Acknowledge when you start working on it (the service the program creates triggers an acknowledged incident again after an hour while it stays open).",
        ...ladderLines(ladder).map((line) => `  ${line}`),
        "- When you hand over, or the next level is notified, send them the alert, what you checked and what you tried (paste output, don't paraphrase).",
        "- Data at risk (records near expiry in Kinesis, delivery failing, canaries missing): escalate at once, do not wait for the timers.",
        `- Once resolved: write the root-cause analysis with [the incident template](${RCA_TEMPLATE_LINK}).`,
        ESCALATION_END,
    ].join("\n");
}

/** `text` with its "Escalation" section body replaced by `section`. */
export function withEscalationSection(text: string, section: string): string {
    const heading = "\n## Escalation\n";
    const start = text.indexOf(heading);
    if (start < 0) {
        throw new Error("no \"## Escalation\" section");
    }
    const bodyStart = start + heading.length;
    const next = text.indexOf("\n## ", bodyStart);
    const bodyEnd = next < 0 ? text.length : next;
    return `${text.slice(0, bodyStart)}${section}\n${text.slice(bodyEnd)}`;
}
