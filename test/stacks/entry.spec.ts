import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { PROJECT } from "../../stacks/config";
import { platformMocks, valueOf, waitForRegistrations } from "../../tools/mockProgram";
import { stackConfig } from "../util";

/** Runs a module's top level again, as the Pulumi CLI does once per `pulumi up`. */
function loadFresh(modulePath: string): unknown {
    delete require.cache[modulePath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath);
}

describe("the program's entry point (stacks/index.ts)", () => {
    it("reads the stack's config, builds the platform and exports the documented outputs", async () => {
        await pulumi.runtime.setMocks(platformMocks("us-east-1"), PROJECT, "prod", true);
        pulumi.runtime.setAllConfig(stackConfig("prod"));
        const program = loadFresh(require.resolve("../../stacks/index")) as () => Promise<Record<string, pulumi.Output<unknown>>>;
        const entry = await program();
        assert.deepEqual(Object.keys(entry).sort(), [
            "alarmTopicArn", "appNamespaces", "bucketName", "clusterName", "grafanaAdminPassword", "kubeconfig",
            "monitoringNamespace", "nodeGroup", "shardCount", "streamArn", "streamName", "vpcId",
        ]);
        assert.equal(await valueOf(entry.clusterName), "iot-platform-prod");
        assert.equal(await valueOf(entry.shardCount), 4);
        assert.equal(await pulumi.isSecret(entry.kubeconfig), true);
        assert.equal(await pulumi.isSecret(entry.grafanaAdminPassword), true);
        await waitForRegistrations();
    });

    it("fails on bad config before registering anything, naming the key", async () => {
        let registered = 0;
        const mocks = platformMocks("us-east-1");
        await pulumi.runtime.setMocks({ ...mocks, newResource: (args) => { registered++; return mocks.newResource(args); } }, PROJECT, "prod", true);
        const config = stackConfig("prod");
        config["iot-platform:cluster"] = config["iot-platform:cluster"].replace('"max":6', '"max":60');
        pulumi.runtime.setAllConfig(config);
        const program = loadFresh(require.resolve("../../stacks/index")) as () => Promise<unknown>;
        await assert.rejects(program(), /iot-platform:cluster\.nodes\.max: must be from 1 to 10 \(got 60\)/);
        assert.equal(registered, 0);
    });

    it("checks the zones against the account's before registering anything", async () => {
        let registered = 0;
        const invoked: string[] = [];
        const mocks = platformMocks("us-east-2");
        await pulumi.runtime.setMocks({
            newResource: (args) => { registered++; return mocks.newResource(args); },
            call: (args) => { invoked.push(`${args.token} ${JSON.stringify(args.inputs)}`); return mocks.call(args); },
        }, PROJECT, "staging", true);
        const config = stackConfig("staging");
        config["iot-platform:network"] = config["iot-platform:network"].replace("us-east-2c", "us-east-2d");
        pulumi.runtime.setAllConfig(config);
        const program = loadFresh(require.resolve("../../stacks/index")) as () => Promise<unknown>;
        await assert.rejects(program(), /iot-platform:network\.availabilityZones\.2: "us-east-2d" is not an availability zone name of aws:region us-east-2 for this account; the account has us-east-2a \(use2-az1\), us-east-2b \(use2-az2\), us-east-2c \(use2-az3\)/);
        assert.deepEqual(invoked, ['aws:index/getAvailabilityZones:getAvailabilityZones {"filters":[{"name":"zone-type","values":["availability-zone"]}],"region":"us-east-2"}']);
        assert.equal(registered, 0);
    });
});
