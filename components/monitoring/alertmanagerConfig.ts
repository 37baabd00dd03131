/**
 * Alertmanager configuration from typed input. Pure: the Monitoring component passes the result to
 * the chart, and scripts/render-monitoring.ts writes it to a file for `amtool check-config`.
 *
 * Credentials never appear in the config: receivers read them from files that Alertmanager mounts
 * from a Kubernetes Secret (`*_file` fields), so neither the Helm values nor the rendered file
 * carry a webhook URL or routing key.
 */
import { SEVERITIES } from "./severity";

/** Where the operator mounts a Secret listed in `alertmanagerSpec.secrets`. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secrets";

/** Keys of the receiver credentials Secret. */
export const RECEIVER_SECRET_KEYS = { slackWebhookUrl: "slack-webhook-url", pagerdutyRoutingKey: "pagerduty-routing-key" } as const;

export const RECEIVERS = { critical: "critical", warning: "warning", none: "null" } as const;

/** Which integrations exist; the credentials themselves live in the Secret named here. */
export interface ReceiverSetup {
    /** Kubernetes Secret (in the Alertmanager namespace) holding the credentials. */
    readonly secretName: string;
    readonly slack: boolean;
    readonly pagerduty: boolean;
}

/** Route timings. Alertmanager's docs explain each: https://prometheus.io/docs/alerting/latest/configuration/#route */
export const ROUTE_TIMING = {
    /** Collect alerts that start together into one notification. */
    groupWait: "30s",
    groupInterval: "5m",
    /** A page that is still firing after an hour pages again: the escalation point in every runbook. */
    criticalRepeat: "1h",
    /** Warnings are for working hours: remind twice a day at most. */
    warningRepeat: "12h",
} as const;

/** Alerts the chart fires on purpose: Watchdog always (a dead man's switch), InfoInhibitor to mute info alerts. */
const ALWAYS_FIRING = ["Watchdog", "InfoInhibitor"] as const;

export function alertmanagerConfig(setup: ReceiverSetup): Record<string, unknown> {
    const file = (key: string) => `${ALERTMANAGER_SECRETS_DIR}/${setup.secretName}/${key}`;
    const slack = (title: string) => ({
        // An incoming webhook posts to the channel it was created for.
        api_url_file: file(RECEIVER_SECRET_KEYS.slackWebhookUrl),
        send_resolved: true,
        title,
        text: [
            "{{ range .Alerts }}*{{ .Annotations.summary }}*",
            "{{ .Annotations.description }}",
            "Runbook: {{ .Annotations.runbook_url }}",
            "{{ end }}",
        ].join("\n"),
    });
    const title = (severity: string) => `[${severity.toUpperCase()}{{ if eq .Status "resolved" }} RESOLVED{{ end }}] {{ .CommonLabels.alertname }}{{ with .CommonLabels.namespace }} in {{ . }}{{ end }}`;

    // Receivers keep their names whatever is configured, so the routing tree never changes shape:
    // with no credentials a receiver simply has no integration and the alert goes nowhere.
    const critical: Record<string, unknown> = { name: RECEIVERS.critical };
    const warning: Record<string, unknown> = { name: RECEIVERS.warning };
    if (setup.pagerduty) {
        critical.pagerduty_configs = [{
            routing_key_file: file(RECEIVER_SECRET_KEYS.pagerdutyRoutingKey),
            send_resolved: true,
            severity: SEVERITIES.critical,
            description: "{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
            links: [{ href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" }],
        }];
    }
    if (setup.slack) {
        critical.slack_configs = [slack(title(SEVERITIES.critical))];
        warning.slack_configs = [slack(title(SEVERITIES.warning))];
    }

    return {
        global: { resolve_timeout: "5m" },
        route: {
            receiver: RECEIVERS.none,
            group_by: ["alertname", "namespace"],
            group_wait: ROUTE_TIMING.groupWait,
            group_interval: ROUTE_TIMING.groupInterval,
            repeat_interval: ROUTE_TIMING.warningRepeat,
            routes: [
                { receiver: RECEIVERS.none, matchers: [`alertname=~"${ALWAYS_FIRING.join("|")}"`] },
                { receiver: RECEIVERS.critical, matchers: [`severity="${SEVERITIES.critical}"`], repeat_interval: ROUTE_TIMING.criticalRepeat },
                { receiver: RECEIVERS.warning, matchers: [`severity="${SEVERITIES.warning}"`], repeat_interval: ROUTE_TIMING.warningRepeat },
            ],
        },
        inhibit_rules: [
            // While the critical stage of an alert fires, its warning stage is noise.
            {
                source_matchers: [`severity="${SEVERITIES.critical}"`],
                target_matchers: [`severity=~"${SEVERITIES.warning}|info"`],
                equal: ["alertname", "namespace"],
            },
        ],
        receivers: [{ name: RECEIVERS.none }, critical, warning],
    };
}
