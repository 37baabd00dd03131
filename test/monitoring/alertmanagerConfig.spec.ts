import { strict as assert } from "assert";
import { alertmanagerConfig, RECEIVERS, ROUTE_TIMING } from "../../components/monitoring/alertmanagerConfig";

type Route = { receiver: string; matchers?: string[]; repeat_interval?: string; group_by?: string[]; routes?: Route[] };
type Receiver = { name: string; slack_configs?: Record<string, unknown>[]; pagerduty_configs?: Record<string, unknown>[] };

function build(slack: boolean, pagerduty: boolean) {
    const config = alertmanagerConfig({ secretName: "alertmanager-receivers", slack, pagerduty });
    return {
        config,
        route: config.route as Route,
        receiver: (name: string) => (config.receivers as Receiver[]).find((r) => r.name === name)!,
    };
}

/** The receiver Alertmanager picks for a label set: first matching child route, else the root's. */
function routeFor(route: Route, labels: Record<string, string>): Route {
    const matches = (m: string) => {
        const [, key, op, value] = /^(\w+)(=~|=)"(.*)"$/.exec(m)!;
        return op === "=" ? labels[key] === value : new RegExp(`^(?:${value})$`).test(labels[key] ?? "");
    };
    return route.routes!.find((r) => r.matchers!.every(matches)) ?? route;
}

describe("Alertmanager routing", () => {
    it("pages critical alerts through PagerDuty and Slack, repeating every hour", () => {
        const { route, receiver } = build(true, true);
        const critical = routeFor(route, { alertname: "AppPodCrashLooping", severity: "critical" });
        assert.equal(critical.receiver, RECEIVERS.critical);
        assert.equal(critical.repeat_interval, ROUTE_TIMING.criticalRepeat);
        assert.equal(receiver(RECEIVERS.critical).pagerduty_configs!.length, 1);
        assert.equal(receiver(RECEIVERS.critical).slack_configs!.length, 1);
    });

    it("sends warnings to Slack only", () => {
        const { route, receiver } = build(true, true);
        assert.equal(routeFor(route, { alertname: "AppHpaPinnedAtMax", severity: "warning" }).receiver, RECEIVERS.warning);
        assert.equal(receiver(RECEIVERS.warning).slack_configs!.length, 1);
        assert.equal(receiver(RECEIVERS.warning).pagerduty_configs, undefined);
    });

    it("drops the chart's always-firing Watchdog and anything without a known severity", () => {
        const { route } = build(true, true);
        assert.equal(routeFor(route, { alertname: "Watchdog", severity: "none" }).receiver, RECEIVERS.none);
        assert.equal(routeFor(route, { alertname: "Something", severity: "info" }).receiver, RECEIVERS.none);
    });

    it("groups by alert name and namespace", () => {
        assert.deepEqual(build(false, false).route.group_by, ["alertname", "namespace"]);
    });

    it("inhibits the warning stage of an alert while its critical stage fires", () => {
        assert.deepEqual(build(true, true).config.inhibit_rules, [{
            source_matchers: ['severity="critical"'],
            target_matchers: ['severity=~"warning|info"'],
            equal: ["alertname", "namespace"],
        }]);
    });

    it("keeps the same tree with no credentials; the receivers just have no integration", () => {
        const none = build(false, false);
        assert.deepEqual(none.route, build(true, true).route);
        assert.deepEqual(none.config.receivers, [{ name: "null" }, { name: "critical" }, { name: "warning" }]);
    });

    it("reads credentials from the mounted Secret, never inline", () => {
        const { config, receiver } = build(true, true);
        assert.equal(receiver(RECEIVERS.critical).pagerduty_configs![0].routing_key_file, "/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key");
        assert.equal(receiver(RECEIVERS.warning).slack_configs![0].api_url_file, "/etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url");
        assert.doesNotMatch(JSON.stringify(config), /"(api_url|routing_key|service_key)"/);
    });
});
