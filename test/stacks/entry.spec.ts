import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { PROJECT } from "../../stacks/config";
import { valueOf, waitForRegistrations } from "../../tools/mockProgram";
import { mockResourceState } from "../../tools/mockState";
import { filledConfig, stackConfig } from "../util";

/** Runs a module's top level again, as the Pulumi CLI does once per `pulumi up`. */
function loadFresh(modulePath: string): unknown {
    delete require.cache[modulePath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath);
}

describe("the program's entry point (stacks/index.ts)", () => {
    it("reads the stack's config, builds the platform and exports the documented outputs", async () => {
        await pulumi.runtime.setMocks({
            newResource: (args) => mockResourceState(args.type, args.name, args.inputs, "us-east-1"),
            call: (args) => args.inputs,
        }, PROJECT, "prod", true);
        pulumi.runtime.setAllConfig(stackConfig("prod"));
        const entryPath = require.resolve("../../stacks/index");
        const entry = loadFresh(entryPath) as Record<string, pulumi.Output<unknown>>;
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
        await pulumi.runtime.setMocks({
            newResource: (args) => { registered++; return mockResourceState(args.type, args.name, args.inputs, "us-east-1"); },
            call: (args) => args.inputs,
        }, PROJECT, "prod", true);
        const config = stackConfig("prod");
        config["iot-platform:cluster"] = config["iot-platform:cluster"].replace('"max":6', '"max":60');
        pulumi.runtime.setAllConfig(config);
        const entryPath = require.resolve("../../stacks/index");
        assert.throws(() => loadFresh(entryPath), /iot-platform:cluster\.nodes\.max: must be from 1 to 10 \(got 60\)/);
        assert.equal(registered, 0);
    });

    it("refuses a real `pulumi up` while placeholders remain, naming every key before registering anything", async () => {
        let registered = 0;
        await pulumi.runtime.setMocks({
            newResource: (args) => { registered++; return mockResourceState(args.type, args.name, args.inputs, "us-east-1"); },
            call: (args) => args.inputs,
        }, PROJECT, "prod", false);
        pulumi.runtime.setAllConfig(stackConfig("prod"));
        const entryPath = require.resolve("../../stacks/index");
        assert.throws(() => loadFresh(entryPath), (err: Error) => {
            assert.match(err.message, /^Refusing to deploy/);
            for (const key of ["cluster.publicAccessCidrs.0", "cluster.access.deployRoleArn", "apps.3.tls.certificateArn", "monitoring.runbookBaseUrl"]) {
                assert.ok(err.message.includes(`iot-platform:${key}: `), key);
            }
            return true;
        });
        assert.equal(registered, 0);
    });

    it("deploys a filled-in stack file for real", async () => {
        await pulumi.runtime.setMocks({
            newResource: (args) => mockResourceState(args.type, args.name, args.inputs, "us-east-1"),
            call: (args) => args.inputs,
        }, PROJECT, "prod", false);
        pulumi.runtime.setAllConfig(filledConfig("prod"));
        const entry = loadFresh(require.resolve("../../stacks/index")) as Record<string, pulumi.Output<unknown>>;
        assert.equal(await valueOf(entry.clusterName), "iot-platform-prod");
        await waitForRegistrations();
    });
});
