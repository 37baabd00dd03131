import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { ConfigError, parsePlatformConfig } from "../../stacks/config";
import { ALERTING_SECRET_KEYS, DEFAULT_RUNBOOK_BASE_URL } from "../../stacks/config/monitoring";
import { stackFilePath } from "../../tools/stackFile";
import { PROJECT_DIR, stackConfig, withConfig } from "../util";

function problems(config: Record<string, string>): string[] {
    try {
        parsePlatformConfig(config);
    } catch (e) {
        if (e instanceof ConfigError) {
            return [...e.problems];
        }
        throw e;
    }
    return [];
}

describe("monitoring config", () => {
    it("reads each stack's values", () => {
        const prod = parsePlatformConfig(stackConfig("prod")).monitoring;
        assert.deepEqual(prod.prometheus, { retention: "30d", storageGb: 100 });
        assert.equal(prod.alertmanager.replicas, 2);
        assert.equal(parsePlatformConfig(stackConfig("staging")).monitoring.alertmanager.replicas, 1);
    });

    it("defaults everything when the key is absent", () => {
        const monitoring = parsePlatformConfig(withConfig("staging", "monitoring", (c) => { c.value = undefined; })).monitoring;
        assert.deepEqual(monitoring, {
            runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
            prometheus: { retention: "15d", storageGb: 50 },
            alertmanager: { replicas: 2 },
            canary: { intervalMinutes: 10, marginMinutes: 10 },
            alarms: { emails: [] },
        });
    });

    it("names the full key and the bad value", () => {
        assert.deepEqual(problems(withConfig("prod", "monitoring", (c) => { c.value.prometheus.retention = "30 days"; })),
            ['iot-platform:monitoring.prometheus.retention: must be a duration in hours, days or weeks like 48h, 15d, 2w (got "30 days")']);
        assert.deepEqual(problems(withConfig("prod", "monitoring", (c) => { c.value.alertmanager.replicas = 0; })),
            ["iot-platform:monitoring.alertmanager.replicas: must be from 1 to 5 (got 0)"]);
        assert.match(problems(withConfig("prod", "monitoring", (c) => { c.value.alarms.emails = ["oncall"]; }))[0], /^iot-platform:monitoring\.alarms\.emails\.0: must be an email address/);
        assert.match(problems(withConfig("prod", "monitoring", (c) => { c.value.runbookBaseUrl = "http://wiki/runbooks"; }))[0], /^iot-platform:monitoring\.runbookBaseUrl: must be an https URL ending with a slash/);
        assert.deepEqual(problems(withConfig("prod", "monitoring", (c) => { c.value.canary = { intervalMinutes: 7 }; })),
            ["iot-platform:monitoring.canary.intervalMinutes: must be one of 5, 10, 15, 20, 30 (minutes that divide the hour) (got 7)"]);
        assert.deepEqual(problems(withConfig("prod", "monitoring", (c) => { c.value.canary = { marginMinutes: 0 }; })),
            ["iot-platform:monitoring.canary.marginMinutes: must be from 1 to 60 (got 0)"]);
        assert.match(problems(withConfig("prod", "monitoring", (c) => { c.value.grafana = {}; }))[0], /^iot-platform:monitoring: unknown key "grafana"; allowed keys: runbookBaseUrl, prometheus, alertmanager, canary, alarms/);
    });

    it("accepts receiver credentials, and the offline placeholder for encrypted ones", () => {
        const config = stackConfig("prod");
        config["iot-platform:slackWebhookUrl"] = "https://hooks.slack.com/services/T000/B000/XXXX";
        config["iot-platform:pagerdutyRoutingKey"] = "offline-placeholder-secret";
        assert.equal(parsePlatformConfig(config).slackWebhookUrl, "https://hooks.slack.com/services/T000/B000/XXXX");
    });

    it("rejects an empty credential without echoing anything secret", () => {
        const config = stackConfig("prod");
        config["iot-platform:slackWebhookUrl"] = "";
        assert.deepEqual(problems(config), ['iot-platform:slackWebhookUrl: must be a single non-empty token; set it with `pulumi config set --secret` (got "")']);
    });

    for (const stack of ["prod", "staging"]) {
        it(`${stack}: the stack file holds receiver credentials only encrypted`, () => {
            const doc = yaml.load(fs.readFileSync(stackFilePath(PROJECT_DIR, stack), "utf8")) as { config: Record<string, unknown> };
            for (const key of ALERTING_SECRET_KEYS) {
                const value = doc.config[`iot-platform:${key}`];
                assert.ok(value === undefined || (typeof value === "object" && value !== null && "secure" in value), `${key} is in plaintext`);
            }
        });
    }
});
