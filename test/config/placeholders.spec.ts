import { strict as assert } from "assert";
import { PROJECT } from "../../stacks/config";
import { describePlaceholder, enforceNoPlaceholders, findPlaceholders, PlaceholderError, stackPlaceholders } from "../../stacks/config/placeholders";
import { filledConfig, parseConfig, stackConfig, withConfig } from "../util";

const keysOf = (config: Record<string, string>) => stackPlaceholders(parseConfig(config)).map((p) => p.key);

describe("deploy preflight: placeholders", () => {
    for (const stack of ["prod", "staging"]) {
        it(`names every placeholder the shipped ${stack} stack file still holds`, () => {
            // Every shipped catalog entry pulls from the documentation account's registry, and every
            // certificate is an all-zero id, however many apps the catalog lists.
            const apps = parseConfig(stackConfig(stack)).apps.flatMap((app, i) => [
                `iot-platform:apps.${i}.image.repository`,
                ...(app.tls ? [`iot-platform:apps.${i}.tls.certificateArn`] : []),
            ]);
            assert.deepEqual(keysOf(stackConfig(stack)), [
                "iot-platform:cluster.publicAccessCidrs.0",
                "iot-platform:cluster.access.deployRoleArn",
                "iot-platform:cluster.access.previewRoleArn",
                ...apps,
                "iot-platform:monitoring.runbookBaseUrl",
            ]);
        });

        it(`finds none in the ${stack} stack file once it is filled in`, () => {
            assert.deepEqual(keysOf(filledConfig(stack)), []);
        });
    }

    it("says why each kind is a placeholder", () => {
        const found = findPlaceholders(PROJECT, {
            cert: "arn:aws:acm:us-east-1:210987654321:certificate/00000000-0000-0000-0000-000000000007",
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/web-app",
            role: "arn:aws:iam::123456789012:role/deploy",
            ranges: ["192.0.2.0/24", "198.51.100.0/25", "203.0.113.7/32"],
            runbooks: "https://github.com/example-org/iot-platform/blob/main/docs/runbooks/",
        });
        assert.deepEqual(found.map((p) => [p.key, p.reason]), [
            ["iot-platform:cert", "an ACM certificate ARN with an all-zero id"],
            ["iot-platform:image", "AWS's documentation account 123456789012"],
            ["iot-platform:role", "AWS's documentation account 123456789012"],
            ["iot-platform:ranges.0", "a documentation address range (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)"],
            ["iot-platform:ranges.1", "a documentation address range (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)"],
            ["iot-platform:ranges.2", "a documentation address range (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)"],
            ["iot-platform:runbooks", "the example-org repository, not yours"],
        ]);
        assert.equal(describePlaceholder(found[0]),
            'iot-platform:cert: "arn:aws:acm:us-east-1:210987654321:certificate/00000000-0000-0000-0000-000000000007" is a placeholder (an ACM certificate ARN with an all-zero id)');
    });

    it("leaves real values alone: other accounts, neighbouring ranges, real certificate ids", () => {
        assert.deepEqual(findPlaceholders(PROJECT, {
            cert: "arn:aws:acm:us-east-1:210987654321:certificate/7c9e6679-7425-40de-944b-e07fc1f90ae1",
            account: "arn:aws:iam::1234567890123:role/x",
            ranges: ["192.0.3.0/24", "198.51.101.0/24", "203.0.112.0/24", "10.0.0.0/8"],
            tag: "1.4.2",
        }), []);
    });

    it("flags the example-org runbook URL when the stack leaves monitoring.runbookBaseUrl to its default", () => {
        const config = withConfig("prod", "monitoring", (m) => { delete m.value.runbookBaseUrl; });
        assert.ok(keysOf(config).includes("iot-platform:monitoring.runbookBaseUrl"));
    });

    it("never inspects the alert receiver secrets", () => {
        const found = findPlaceholders(PROJECT, { slackWebhookUrl: "https://hooks.slack.com/services/123456789012" });
        assert.deepEqual(found, []);
    });

    describe("enforcement", () => {
        const placeholders = stackPlaceholders(parseConfig(stackConfig("prod")));

        it("refuses a real deployment, naming every key in one error", () => {
            const warnings: string[] = [];
            assert.throws(() => enforceNoPlaceholders(placeholders, false, (m) => warnings.push(m)), (err: unknown) => {
                assert.ok(err instanceof PlaceholderError);
                assert.match(err.message, /^Refusing to deploy: the stack configuration still holds placeholders/);
                for (const p of placeholders) {
                    assert.ok(err.message.includes(`  - ${p.key}: `), p.key);
                }
                return true;
            });
            assert.deepEqual(warnings, []);
        });

        it("lets a preview go on with one warning per placeholder", () => {
            const warnings: string[] = [];
            enforceNoPlaceholders(placeholders, true, (m) => warnings.push(m));
            assert.equal(warnings.length, placeholders.length);
            assert.match(warnings[0], /^iot-platform:cluster\.publicAccessCidrs\.0: "203\.0\.113\.0\/24" is a placeholder .*`pulumi up` will refuse to start/);
        });

        it("does nothing when there is nothing to replace", () => {
            enforceNoPlaceholders([], false, () => assert.fail("no warning expected"));
        });
    });
});
