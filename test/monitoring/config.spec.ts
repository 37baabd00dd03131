import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { ConfigError, CREDENTIAL_KEYS, TOP_LEVEL_KEYS } from "../../stacks/config";
import { ALERTING_SECRET_KEYS, DEFAULT_RUNBOOK_BASE_URL } from "../../stacks/config/monitoring";
import { stackFilePath } from "../../tools/stackFile";
import { managedConfig } from "../incident/fixtures";
import { parseConfig, problemsOf, PROJECT_DIR, stackConfig, withConfig } from "../util";

function problems(config: Record<string, string>): string[] {
    try {
        parseConfig(config);
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
        const prod = parseConfig(stackConfig("prod")).monitoring;
        assert.deepEqual(prod.prometheus, { retention: "30d", storageGb: 100 });
        assert.equal(prod.alertmanager.replicas, 2);
        assert.equal(parseConfig(stackConfig("staging")).monitoring.alertmanager.replicas, 1);
    });

    it("defaults everything when the key is absent", () => {
        const monitoring = parseConfig(withConfig("staging", "monitoring", (c) => { c.value = undefined; })).monitoring;
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
        assert.match(problems(withConfig("prod", "monitoring", (c) => { c.value.grafana = {}; }))[0], /^iot-platform:monitoring\.grafana: unknown key; allowed keys in iot-platform:monitoring: runbookBaseUrl, prometheus, alertmanager, canary, alarms$/);
    });

    it("accepts receiver credentials set as secrets, and the offline placeholder for encrypted ones", () => {
        const config = stackConfig("prod");
        config["iot-platform:slackWebhookUrl"] = "https://hooks.slack.com/services/T000/B000/XXXX";
        config["iot-platform:pagerdutyRoutingKey"] = "offline-placeholder-secret";
        const secret = ["iot-platform:slackWebhookUrl", "iot-platform:pagerdutyRoutingKey"];
        assert.equal(parseConfig(config, secret).slackWebhookUrl, "https://hooks.slack.com/services/T000/B000/XXXX");
    });

    for (const key of CREDENTIAL_KEYS) {
        it(`rejects ${key} in plaintext, naming the key and the command, without echoing the value`, () => {
            // given a stack that is valid once the key is a secret (the API token needs a ladder with targets)
            const base = key === "pagerdutyToken" ? managedConfig() : stackConfig("prod");
            const config = { ...base, [`iot-platform:${key}`]: "plaintext-credential-0123" };
            const found = problemsOf(config);
            assert.deepEqual(found, [
                `iot-platform:${key}: is a credential set in plaintext, so it sits in the stack file and in git; set it with ` +
                `\`pulumi config set --secret iot-platform:${key}\` (it prompts for the value) and rotate it if the plaintext was ever committed`,
            ]);
        });
    }

    it("treats every top-level key named like a credential as one", () => {
        const credentialLike = TOP_LEVEL_KEYS.filter((key) => /webhook|token|password|secret/i.test(key) || /Key$/.test(key));
        assert.deepEqual([...credentialLike].sort(), [...CREDENTIAL_KEYS].sort());
        assert.deepEqual([...ALERTING_SECRET_KEYS].sort(), [...CREDENTIAL_KEYS].sort());
    });

    it("rejects an empty credential without echoing anything secret", () => {
        const config = stackConfig("prod");
        config["iot-platform:slackWebhookUrl"] = "";
        assert.deepEqual(problemsOf(config, ["iot-platform:slackWebhookUrl"]), ["iot-platform:slackWebhookUrl: must be a single non-empty token; set it with `pulumi config set --secret`"]);
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
