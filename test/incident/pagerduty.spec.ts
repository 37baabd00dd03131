import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ALERT_CREATION, CLOUDWATCH_VENDOR, EVENTS_API_V2 } from "../../components/incident/PagerDutyEscalation";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { PACK_DIR, runCheck } from "../../tools/check/run";
import { RecordedResource, runPlatformProgram } from "../../tools/mockProgram";
import { PolicyPackProcess } from "../../tools/policy/analyzer";
import { secret } from "../monitoring/secrets";
import { ofType, one, runStack, writeStackFile } from "../util";
import { managedConfig } from "./fixtures";

const PD = {
    provider: "pulumi:providers:pagerduty",
    policy: "pagerduty:index/escalationPolicy:EscalationPolicy",
    service: "pagerduty:index/service:Service",
    integration: "pagerduty:index/serviceIntegration:ServiceIntegration",
};
const TOKEN = "u+pagerduty-api-token-for-tests";

/** Every string in `value` that is not wrapped as a secret, with where it sits. */
function plaintextStrings(value: unknown, where: string, into: [string, string][] = []): [string, string][] {
    if (typeof value === "string") {
        into.push([where, value]);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => plaintextStrings(v, `${where}[${i}]`, into));
    } else if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialSecretSig) {
            return into;
        }
        for (const [k, v] of Object.entries(record)) {
            plaintextStrings(v, `${where}.${k}`, into);
        }
    }
    return into;
}

describe("PagerDuty managed by the program (pagerdutyToken set)", () => {
    let resources: RecordedResource[];
    let outputs: Record<string, unknown>;
    let keys: { events: string; cloudwatch: string };
    before(async () => {
        const config = { ...managedConfig(), "iot-platform:pagerdutyToken": TOKEN };
        const run = await runPlatformProgram(config, "prod", ["iot-platform:pagerdutyToken"]);
        resources = run.resources;
        outputs = run.outputs;
        const integrations = ofType(resources, PD.integration);
        keys = {
            events: integrations.find((r) => r.name.endsWith("-events"))!.outputs.integrationKey,
            cloudwatch: integrations.find((r) => r.name.endsWith("-cloudwatch"))!.outputs.integrationKey,
        };
    });

    it("uses its own provider instance, configured with the token as a secret", () => {
        const provider = one(resources, PD.provider);
        assert.deepEqual(provider.inputs.token, secret(TOKEN));
        for (const type of [PD.policy, PD.service, PD.integration]) {
            for (const r of ofType(resources, type)) {
                assert.ok(r.urn.includes("iot:incident:PagerDutyEscalation"), `${r.name} belongs to the component`);
            }
        }
    });

    it("creates the escalation policy from the ladder", () => {
        const policy = one(resources, PD.policy).inputs;
        assert.equal(policy.name, "iot-platform-prod escalation");
        assert.equal(policy.numLoops, 0);
        assert.deepEqual(policy.rules.map((r: any) => r.escalationDelayInMinutes), [15, 45, 60, 60]);
        assert.deepEqual(policy.rules[0].targets, [{ type: "schedule_reference", id: "PSCHED1" }]);
    });

    it("creates one service for the environment on that policy, and its two integrations", () => {
        const service = one(resources, PD.service);
        assert.equal(service.inputs.name, "iot-platform-prod");
        assert.equal(service.inputs.alertCreation, ALERT_CREATION);
        assert.equal(service.inputs.escalationPolicy, one(resources, PD.policy).outputs.id);
        const integrations = ofType(resources, PD.integration);
        assert.deepEqual(integrations.map((r) => r.inputs.service), [service.outputs.id, service.outputs.id]);
        assert.equal(integrations.find((r) => r.name.endsWith("-events"))!.inputs.type, EVENTS_API_V2);
        assert.match(integrations.find((r) => r.name.endsWith("-cloudwatch"))!.inputs.vendor, /^P[0-9A-F]{6}$/);
        assert.ok(CLOUDWATCH_VENDOR.length > 0);
    });

    it("hands the Events API v2 key to Alertmanager as a secret, and the CloudWatch key to the alarm topic as a secret", () => {
        const receivers = one(resources, "kubernetes:core/v1:Secret", "-alertmanager-receivers").inputs.stringData;
        assert.deepEqual(receivers, secret({ "pagerduty-routing-key": keys.events }));
        const subscription = one(resources, "aws:sns/topicSubscription:TopicSubscription", "-pagerduty").inputs;
        assert.deepEqual(subscription.endpoint, secret(`https://events.pagerduty.com/integration/${keys.cloudwatch}/enqueue`));
    });

    it("never puts the token or an integration key in plaintext into any input or stack output", () => {
        const leaked = resources.flatMap((r) => plaintextStrings(r.inputs, r.name))
            .concat(plaintextStrings(outputs, "outputs"))
            .filter(([, text]) => [TOKEN, keys.events, keys.cloudwatch].some((s) => text.includes(s)));
        assert.deepEqual(leaked, []);
        // The check sees plaintext where there is some: the key is in the integration's recorded state.
        assert.equal(plaintextStrings(one(resources, PD.integration, "-events").outputs, "state").some(([, t]) => t === keys.events), true);
    });

    it("asks the engine to keep each integration's key secret in state (the provider does not mark it)", () => {
        for (const integration of ofType(resources, PD.integration)) {
            assert.deepEqual(integration.additionalSecretOutputs, ["integrationKey"], integration.name);
        }
    });
});

describe("PagerDuty not managed (no pagerdutyToken)", () => {
    it("creates no PagerDuty resource, and no receiver key without config", async () => {
        const { resources } = await runStack("prod");
        assert.deepEqual(resources.filter((r) => r.type.startsWith("pagerduty:") || r.type === PD.provider), []);
        const receivers = one(resources, "kubernetes:core/v1:Secret", "-alertmanager-receivers").inputs.stringData;
        assert.deepEqual(receivers, secret({}));
    });
});

describe("a stack that opts into PagerDuty, through the offline check and the policy pack", function () {
    this.timeout(60000);
    let pack: PolicyPackProcess;
    let dir: string;
    before(async () => {
        pack = await PolicyPackProcess.start(PACK_DIR);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "iot-pagerduty-"));
        // As `pulumi config set --secret` leaves it in the stack file: the offline tools read a placeholder.
        writeStackFile(dir, "prod-pagerduty", { ...managedConfig(), "iot-platform:pagerdutyToken": JSON.stringify({ secure: "v1:AAAAAAAAAAAAAAAA" }) });
    });
    after(() => {
        pack?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes every mandatory policy, the PagerDuty objects counted as free", async () => {
        const result = await runCheck({ stack: "prod-pagerduty", projectDir: dir }, pack);
        assert.ok(result.resources.some((r) => r.type === PD.policy));
        assert.deepEqual(result.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.deepEqual(result.cost.estimate.unpriced, []);
    });
});
