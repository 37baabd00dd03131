/** Alert severities and who they reach; the routing tree and every rule use these values. */
export const SEVERITIES = {
    /** Pages the on-call (PagerDuty) and posts to Slack. */
    critical: "critical",
    /** Posts to Slack; looked at in working hours. */
    warning: "warning",
} as const;

export type Severity = (typeof SEVERITIES)[keyof typeof SEVERITIES];

/** The runbook of an alert: `<base><AlertName>.md`, one file per alert name in docs/runbooks/. */
export function runbookUrl(baseUrl: string, alertName: string): string {
    return `${baseUrl}${alertName}.md`;
}
