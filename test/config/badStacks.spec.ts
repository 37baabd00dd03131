/**
 * Realistic mistakes in stack files, each made the way an operator makes it: by editing the text of a
 * shipped `Pulumi.<stack>.yaml`. Each file goes through the stack file reader and the program's entry
 * point under mocks, as `pulumi up` would run it. Adding a case is adding a row.
 */
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT } from "../../stacks/config";
import { platformMocks } from "../../tools/mockProgram";
import { readStackFile, stackFilePath } from "../../tools/stackFile";
import { PROJECT_DIR } from "../util";

interface BadStack {
    readonly mistake: string;
    readonly stack: "prod" | "staging";
    /** Text edits on the shipped stack file: [what, replacement]. */
    readonly edits: readonly (readonly [string | RegExp, string])[];
    /** Full keys the rejection must name, each at the start of one problem. */
    readonly keys: readonly string[];
}

const CASES: readonly BadStack[] = [
    { mistake: "a misspelt project namespace", stack: "prod", edits: [["iot-platform:monitoring:", "iot-platfom:monitoring:"]], keys: ["iot-platfom:monitoring"] },
    { mistake: "a key in a namespace no one reads", stack: "prod", edits: [["  aws:region: us-east-1\n", "  aws:region: us-east-1\n  kubernetes:context: prod\n"]], keys: ["kubernetes:context"] },
    { mistake: "a misspelt top-level key", stack: "prod", edits: [["iot-platform:monitoring:", "iot-platform:monitorng:"]], keys: ["iot-platform:monitorng"] },
    { mistake: "a misspelt aws:region", stack: "prod", edits: [["aws:region:", "aws:regoin:"]], keys: ["aws:region"] },
    { mistake: "a zone as aws:region", stack: "prod", edits: [["aws:region: us-east-1", "aws:region: us-east-1a"]], keys: ["aws:region"] },
    { mistake: "a zone the region does not have", stack: "staging", edits: [["us-east-2c]", "us-east-2d]"]], keys: ["iot-platform:network.availabilityZones.2"] },
    { mistake: "a zone of another region", stack: "staging", edits: [["us-east-2c]", "us-east-1c]"]], keys: ["iot-platform:network.availabilityZones.2"] },
    { mistake: "a region where a zone belongs", stack: "prod", edits: [["[us-east-1a,", "[us-east-1,"]], keys: ["iot-platform:network.availabilityZones.0"] },
    { mistake: "a zone ID the region does not have", stack: "prod", edits: [["us-east-1c]", "use1-az9]"]], keys: ["iot-platform:network.availabilityZones.2"] },
    { mistake: "a zone listed by name and by ID", stack: "prod", edits: [["us-east-1c]", "use1-az1]"]], keys: ["iot-platform:network.availabilityZones.2"] },
    { mistake: "a Slack webhook in plaintext", stack: "prod", edits: [["  iot-platform:monitoring:", "  iot-platform:slackWebhookUrl: https://hooks.slack.com/services/T000/B000/XXXX\n  iot-platform:monitoring:"]], keys: ["iot-platform:slackWebhookUrl"] },
    { mistake: "a PagerDuty routing key in plaintext", stack: "staging", edits: [["  iot-platform:monitoring:", "  iot-platform:pagerdutyRoutingKey: 0123456789abcdef0123456789abcdef\n  iot-platform:monitoring:"]], keys: ["iot-platform:pagerdutyRoutingKey"] },
    { mistake: "a PagerDuty CloudWatch key in plaintext", stack: "prod", edits: [["  iot-platform:monitoring:", "  iot-platform:pagerdutyCloudwatchKey: 0123456789abcdef0123456789abcdef\n  iot-platform:monitoring:"]], keys: ["iot-platform:pagerdutyCloudwatchKey"] },
    { mistake: "a typo in a nested key", stack: "prod", edits: [["      max: 6\n", "      maxx: 6\n"]], keys: ["iot-platform:cluster.nodes.maxx", "iot-platform:cluster.nodes.max"] },
    { mistake: "a word for a number", stack: "prod", edits: [["      max: 6\n", "      max: six\n"]], keys: ["iot-platform:cluster.nodes.max"] },
    { mistake: "a whole section as a string", stack: "staging", edits: [[/ {2}iot-platform:monitoring:\n(.*\n)*$/, "  iot-platform:monitoring: prometheus\n"]], keys: ["iot-platform:monitoring"] },
    { mistake: "a required key left out", stack: "prod", edits: [["  iot-platform:environment: prod\n", ""]], keys: ["iot-platform:environment"] },
    { mistake: "an unsupported Kubernetes version", stack: "prod", edits: [['kubernetesVersion: "1.35"', 'kubernetesVersion: "1.29"']], keys: ["iot-platform:cluster.kubernetesVersion"] },
    { mistake: "a service range inside the VPC", stack: "prod", edits: [["    adminRoleArns: []\n", "    adminRoleArns: []\n    serviceCidr: 10.20.128.0/17\n"]], keys: ["iot-platform:cluster.serviceCidr"] },
    { mistake: "one replica for an app", stack: "prod", edits: [["replicas: { min: 2, max: 4 }", "replicas: { min: 1, max: 4 }"]], keys: ["iot-platform:apps[web-app].replicas.min"] },
    { mistake: "a certificate of another region", stack: "staging", edits: [["arn:aws:acm:us-east-2:123456789012:certificate/00000000-0000-0000-0000-000000000002", "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000002"]], keys: ["iot-platform:apps[web-app].tls.certificateArn"] },
    { mistake: "a caller that is not in the catalog", stack: "prod", edits: [["allowFrom: [web-app]", "allowFrom: [webapp]"]], keys: ["iot-platform:apps[telemetry-api].allowFrom.0"] },
    { mistake: "Prometheus retention in words", stack: "prod", edits: [["retention: 30d", "retention: 30 days"]], keys: ["iot-platform:monitoring.prometheus.retention"] },
    { mistake: "a Glacier transition too soon after Standard-IA", stack: "staging", edits: [["glacierAfterDays: 60", "glacierAfterDays: 45"]], keys: ["iot-platform:data.lake.glacierAfterDays"] },
    { mistake: "a catalog that outgrows the node group", stack: "staging", edits: [["      max: 3\n", "      max: 2\n"]], keys: ["iot-platform:apps[telemetry-api].replicas.max"] },
    {
        mistake: "several mistakes at once, across keys",
        stack: "prod",
        edits: [["      max: 6\n", "      maxx: 6\n"], ["us-east-1c]", "us-east-1g]"], ["arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000002", "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000002"], ["tag: \"2.1.0\"", "tag: latest"]],
        keys: [
            "iot-platform:cluster.nodes.maxx", "iot-platform:network.availabilityZones.2",
            "iot-platform:apps[web-app].tls.certificateArn", "iot-platform:apps[stream-processor].image.tag",
        ],
    },
];

/** Runs the program's entry point on a stack file; returns its error and how many resources it registered. */
async function runEntry(file: string, stack: string): Promise<{ error: unknown; registered: number }> {
    const { config, secretKeys } = readStackFile(file);
    let registered = 0;
    const mocks = platformMocks(config["aws:region"] ?? "us-east-1");
    await pulumi.runtime.setMocks({ ...mocks, newResource: (args) => { registered++; return mocks.newResource(args); } }, PROJECT, stack, true);
    pulumi.runtime.setAllConfig(config, secretKeys);
    const entryPath = require.resolve("../../stacks/index");
    delete require.cache[entryPath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(entryPath) as () => Promise<unknown>;
    try {
        await program();
        return { error: undefined, registered };
    } catch (error) {
        return { error, registered };
    }
}

describe("realistic bad stack files", () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-stacks-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const [i, c] of CASES.entries()) {
        it(`rejects ${c.mistake}, registering nothing and naming ${c.keys.join(", ")}`, async () => {
            let text = fs.readFileSync(stackFilePath(PROJECT_DIR, c.stack), "utf8");
            for (const [what, replacement] of c.edits) {
                const edited = text.replace(what, replacement);
                assert.notEqual(edited, text, `the edit ${String(what)} no longer applies to Pulumi.${c.stack}.yaml`);
                text = edited;
            }
            const name = `bad-${i}`;
            fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);

            const { error, registered } = await runEntry(stackFilePath(dir, name), name);

            assert.ok(error instanceof Error && error.name === "ConfigError", `expected a ConfigError, got ${String(error)}`);
            assert.equal(registered, 0);
            const problems = error.message.split("\n").slice(1).map((line) => line.replace(/^ {2}- /, ""));
            for (const key of c.keys) {
                assert.ok(problems.some((p) => p.startsWith(`${key}: `)), `no problem names ${key}:\n${error.message}`);
            }
            for (const problem of problems) {
                assert.doesNotMatch(problem, /Invalid input|expected \w+, received|Unrecognized key/, "library default text reached the user");
                assert.doesNotMatch(problem, /hooks\.slack\.com|0123456789abcdef0123456789abcdef/, "a credential was echoed");
            }
        });
    }
});
