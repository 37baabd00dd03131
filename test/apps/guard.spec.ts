import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import { AppSpec } from "../../components/apps/app";
import { NamespacedApp } from "../../components/apps/NamespacedApp";
import { recordProgram } from "../../tools/mockProgram";
import { sampleApp } from "./fixtures";

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** Builds one NamespacedApp in us-east-1 from the sample with `edit` applied, under mocks. */
function build(edit: Partial<AppSpec>): Promise<unknown> {
    return recordProgram(() => {
        new NamespacedApp("api", {
            app: { ...sampleApp(), dataAccess: [], allowFrom: [], ...edit },
            provider: new k8s.Provider("cluster", { kubeconfig: "{}" }),
            irsa: { createIrsaRole: () => { throw new Error("an app without data access needs no IRSA role"); } },
            dataAccess: {} as never,
            vpcCidr: "10.20.0.0/16",
            region: "us-east-1",
        });
    });
}

// The config loader reports these with key names; the component refuses them too when used directly.
describe("NamespacedApp refuses load balancers without proper TLS", () => {
    it("refuses a public app without tls", async () => {
        await assert.rejects(build({ exposure: "public" }), /app telemetry-api: tls is required for exposure public/);
    });

    it("refuses tls on a cluster app", async () => {
        await assert.rejects(build({ tls: { certificateArn: CERTIFICATE } }), /app telemetry-api: tls applies only to exposure internal or public/);
    });

    it("refuses a certificate of another region than the stack's", async () => {
        const certificateArn = CERTIFICATE.replace("us-east-1", "eu-west-1");
        await assert.rejects(build({ exposure: "public", tls: { certificateArn } }),
            /app telemetry-api: tls.certificateArn "arn:aws:acm:eu-west-1:.*" is in eu-west-1, but the load balancer can only use an ACM certificate of its own region, aws:region us-east-1/);
    });

    it("builds a public app with a certificate of its region", async () => {
        await build({ exposure: "public", tls: { certificateArn: CERTIFICATE } });
    });
});
