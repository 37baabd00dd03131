import { strict as assert } from "assert";
import { appsCertificateRegionProblems } from "../../stacks/config/apps";
import { parseConfig, problemsOf, stackConfig, withConfig } from "../util";

/** The shipped prod catalog with app `index` edited. */
function prodApp(index: number, edit: (app: any) => void): Record<string, string> {
    return withConfig("prod", "apps", (holder) => edit(holder.value[index]));
}

describe("app catalog config (iot-platform:apps)", () => {
    it("the shipped stacks parse, with the platform's four services in their namespaces", () => {
        // Other entries may follow: adding an app is a change to the stack file only.
        for (const stack of ["prod", "staging"]) {
            const apps = parseConfig(stackConfig(stack)).apps;
            assert.deepEqual(apps.slice(0, 4).map((a) => `${a.name}@${a.namespace}`), ["device-gateway@ingest", "stream-processor@processing", "telemetry-api@api", "web-app@web"]);
            assert.deepEqual(apps.slice(0, 4).map((a) => `${a.name}:${a.exposure ?? "cluster"}`), ["device-gateway:internal", "stream-processor:cluster", "telemetry-api:cluster", "web-app:public"]);
        }
    });

    it("rejects a duplicate app name, naming both entries", () => {
        const config = prodApp(1, (app) => { app.name = "device-gateway"; });
        assert.deepEqual(problemsOf(config), ['iot-platform:apps.1.name: duplicate app name "device-gateway" (also apps.0.name)']);
    });

    it("rejects two apps in one namespace", () => {
        const config = prodApp(3, (app) => { app.namespace = "api"; });
        assert.deepEqual(problemsOf(config), ['iot-platform:apps[web-app].namespace: namespace "api" is already used by apps[telemetry-api]; each app gets its own']);
    });

    it("rejects the latest tag", () => {
        const config = prodApp(0, (app) => { app.image.tag = "latest"; });
        assert.deepEqual(problemsOf(config), ["iot-platform:apps[device-gateway].image.tag: must not be `latest`: pin a release tag or a digest (got \"latest\")"]);
    });

    it("rejects an untagged image", () => {
        const config = prodApp(0, (app) => { delete app.image.tag; });
        assert.deepEqual(problemsOf(config), ["iot-platform:apps[device-gateway].image.tag: needs a tag or a digest: an untagged image pulls whatever `latest` is today (required but missing)"]);
    });

    it("accepts a digest instead of a tag", () => {
        const digest = `sha256:${"ab".repeat(32)}`;
        const config = prodApp(0, (app) => { delete app.image.tag; app.image.digest = digest; });
        assert.equal(parseConfig(config).apps[0].image.digest, digest);
    });

    it("rejects a tag smuggled into the repository", () => {
        const config = prodApp(0, (app) => { app.image.repository = "registry.example.com/iot/device-gateway:latest"; });
        const problems = problemsOf(config);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /^iot-platform:apps\[device-gateway\]\.image\.repository: must be a lowercase registry path without tag or digest/);
    });

    it("rejects fewer than two minimum replicas", () => {
        const config = prodApp(2, (app) => { app.replicas.min = 1; });
        assert.deepEqual(problemsOf(config), ["iot-platform:apps[telemetry-api].replicas.min: must be from 2 to 50 (got 1)"]);
    });

    it("rejects max replicas below min", () => {
        const config = prodApp(2, (app) => { app.replicas.max = 2; });
        assert.deepEqual(problemsOf(config), ["iot-platform:apps[telemetry-api].replicas.max: must be at least replicas.min (3) (got 2)"]);
    });

    it("rejects an unknown data-access kind, listing the allowed ones", () => {
        const config = prodApp(2, (app) => { app.dataAccess = ["writeLake"]; });
        assert.deepEqual(problemsOf(config), ['iot-platform:apps[telemetry-api].dataAccess.0: must be one of produceStream, readStream, readLake (got "writeLake")']);
    });

    it("rejects an unknown key in an entry, naming the allowed keys", () => {
        const config = prodApp(0, (app) => { app.replica = app.replicas; });
        const problems = problemsOf(config);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /^iot-platform:apps\[device-gateway\]\.replica: unknown key \(did you mean iot-platform:apps\[device-gateway\]\.replicas\?\); allowed keys in iot-platform:apps\[device-gateway\]: name, namespace, image, port, exposure, allowedSourceCidrs, tls, dataAccess, allowFrom, replicas,/);
    });

    it("rejects a reserved namespace", () => {
        const config = prodApp(0, (app) => { app.namespace = "default"; });
        assert.deepEqual(problemsOf(config), ['iot-platform:apps[device-gateway].namespace: must not be one of default, kube-system, kube-public, kube-node-lease, monitoring (got "default")']);
    });

    it("rejects a caller that is not in the catalog", () => {
        const config = prodApp(2, (app) => { app.allowFrom = ["web-ap"]; });
        const catalog = parseConfig(stackConfig("prod")).apps.map((a) => a.name).join(", ");
        assert.deepEqual(problemsOf(config), [`iot-platform:apps[telemetry-api].allowFrom.0: must name an app of the catalog: ${catalog} (got "web-ap")`]);
    });

    it("rejects one path for liveness and readiness", () => {
        const config = prodApp(1, (app) => { app.probes = { livenessPath: "/healthz", readinessPath: "/healthz" }; });
        assert.deepEqual(problemsOf(config), ['iot-platform:apps[stream-processor].probes.readinessPath: must differ from livenessPath: an overloaded pod should leave the load balancer, not be restarted (got "/healthz")']);
    });

    it("rejects a memory limit below the request", () => {
        const config = prodApp(1, (app) => { app.resources.memoryLimitMiB = 256; });
        assert.deepEqual(problemsOf(config), ["iot-platform:apps[stream-processor].resources.memoryLimitMiB: must be at least memoryMiB (512) (got 256)"]);
    });

    describe("exposure and allowed sources", () => {
        it("rejects an unknown exposure, listing the allowed ones", () => {
            const config = prodApp(0, (app) => { app.exposure = "x"; });
            assert.deepEqual(problemsOf(config), ['iot-platform:apps[device-gateway].exposure: must be one of cluster, internal, public (got "x")']);
        });

        it("rejects the retired `public` flag, pointing to exposure", () => {
            // An entry written before exposure and tls existed.
            const config = prodApp(3, (app) => { delete app.exposure; delete app.tls; app.public = true; });
            const problems = problemsOf(config);
            assert.equal(problems.length, 1);
            assert.match(problems[0], /^iot-platform:apps\[web-app\]\.public: unknown key; allowed keys in iot-platform:apps\[web-app\]: name, namespace, image, port, exposure, /);
        });

        it("accepts the device networks of an internal app", () => {
            const config = prodApp(0, (app) => { app.allowedSourceCidrs = ["192.168.10.0/24", "172.20.0.0/16"]; });
            assert.deepEqual(parseConfig(config).apps[0].allowedSourceCidrs, ["192.168.10.0/24", "172.20.0.0/16"]);
        });

        it("rejects allowed sources on a public app", () => {
            const config = prodApp(3, (app) => { app.allowedSourceCidrs = ["192.168.10.0/24"]; });
            assert.deepEqual(problemsOf(config), [
                'iot-platform:apps[web-app].allowedSourceCidrs: applies only to exposure internal: a public app\'s load balancer is open to the internet (got ["192.168.10.0/24"])',
            ]);
        });

        it("rejects allowed sources on a cluster app", () => {
            const config = prodApp(1, (app) => { app.allowedSourceCidrs = ["192.168.10.0/24"]; });
            assert.deepEqual(problemsOf(config), [
                'iot-platform:apps[stream-processor].allowedSourceCidrs: applies only to exposure internal: a cluster app has no load balancer (got ["192.168.10.0/24"])',
            ]);
        });

        it("rejects a network that is not an IPv4 CIDR", () => {
            const config = prodApp(0, (app) => { app.allowedSourceCidrs = ["192.168.10.0/24", "192.168.300.0/24"]; });
            assert.deepEqual(problemsOf(config), ['iot-platform:apps[device-gateway].allowedSourceCidrs.1: must be an IPv4 CIDR like 10.0.0.0/16 with no host bits set (got "192.168.300.0/24")']);
        });

        it("rejects a CIDR with host bits set", () => {
            const config = prodApp(0, (app) => { app.allowedSourceCidrs = ["192.168.10.1/24"]; });
            assert.deepEqual(problemsOf(config), ['iot-platform:apps[device-gateway].allowedSourceCidrs.0: must be an IPv4 CIDR like 10.0.0.0/16 with no host bits set (got "192.168.10.1/24")']);
        });

        it("rejects 0.0.0.0/0 for an internal app", () => {
            const config = prodApp(0, (app) => { app.allowedSourceCidrs = ["0.0.0.0/0"]; });
            assert.deepEqual(problemsOf(config), ['iot-platform:apps[device-gateway].allowedSourceCidrs.0: must not be 0.0.0.0/0: list the device networks (got "0.0.0.0/0")']);
        });

        it("rejects an empty list, which the controller would read as 0.0.0.0/0", () => {
            const config = prodApp(0, (app) => { app.allowedSourceCidrs = []; });
            assert.deepEqual(problemsOf(config), ["iot-platform:apps[device-gateway].allowedSourceCidrs: must list at least one network; leave the key out for the VPC range only (got [])"]);
        });

        it("rejects a repeated network", () => {
            const config = prodApp(0, (app) => { app.allowedSourceCidrs = ["192.168.10.0/24", "192.168.10.0/24"]; });
            assert.deepEqual(problemsOf(config), ['iot-platform:apps[device-gateway].allowedSourceCidrs: must not repeat a network (got ["192.168.10.0/24","192.168.10.0/24"])']);
        });
    });

    describe("tls on the load balancer", () => {
        const certificate = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;

        it("accepts an internal app without tls (it keeps plain TCP on port 80)", () => {
            const config = prodApp(0, (app) => { delete app.tls; });
            assert.equal(parseConfig(config).apps[0].tls, undefined);
        });

        it("rejects a public app without tls", () => {
            const config = prodApp(3, (app) => { delete app.tls; });
            assert.deepEqual(problemsOf(config), [
                "iot-platform:apps[web-app].tls: required for exposure public: the internet-facing load balancer must not serve plain HTTP; set tls.certificateArn to an ACM certificate of aws:region (required but missing)",
            ]);
        });

        it("rejects tls on a cluster app", () => {
            const config = prodApp(1, (app) => { app.tls = { certificateArn: certificate("us-east-1") }; });
            assert.deepEqual(problemsOf(config), [
                `iot-platform:apps[stream-processor].tls: applies only to exposure internal or public: a cluster app has no load balancer (got {"certificateArn":"${certificate("us-east-1")}"})`,
            ]);
        });

        it("rejects a malformed certificate ARN", () => {
            const config = prodApp(3, (app) => { app.tls.certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/dashboard"; });
            assert.deepEqual(problemsOf(config), [
                'iot-platform:apps[web-app].tls.certificateArn: must be an ACM certificate ARN like arn:aws:acm:<region>:<12-digit account>:certificate/<uuid> (got "arn:aws:acm:us-east-1:123456789012:certificate/dashboard")',
            ]);
        });

        it("rejects an ARN that is not an ACM certificate", () => {
            const config = prodApp(3, (app) => { app.tls.certificateArn = "arn:aws:iam::123456789012:server-certificate/dashboard"; });
            assert.deepEqual(problemsOf(config), [
                'iot-platform:apps[web-app].tls.certificateArn: must be an ACM certificate ARN (service acm), not one of iam: request or import the certificate in ACM (got "arn:aws:iam::123456789012:server-certificate/dashboard")',
            ]);
        });

        it("rejects an unknown key in tls", () => {
            const config = prodApp(3, (app) => { app.tls.policy = "ELBSecurityPolicy-2016-08"; });
            assert.deepEqual(problemsOf(config), ['iot-platform:apps[web-app].tls.policy: unknown key; allowed keys in iot-platform:apps[web-app].tls: certificateArn']);
        });

        it("names a certificate of another region than aws:region, by its path below iot-platform", () => {
            const apps = parseConfig(stackConfig("prod")).apps;
            apps[3] = { ...apps[3], tls: { certificateArn: certificate("eu-west-1") } };
            assert.deepEqual(appsCertificateRegionProblems(apps, "us-east-1"), [{
                path: ["apps", 3, "tls", "certificateArn"],
                message: `is in eu-west-1, but the load balancer can only use an ACM certificate of its own region, aws:region us-east-1 (got "${certificate("eu-west-1")}")`,
            }]);
        });

        it("rejects a certificate of another region than aws:region", () => {
            const config = prodApp(3, (app) => { app.tls.certificateArn = certificate("eu-west-1"); });
            assert.deepEqual(problemsOf(config), [
                `iot-platform:apps[web-app].tls.certificateArn: is in eu-west-1, but the load balancer can only use an ACM certificate of its own region, aws:region us-east-1 (got "${certificate("eu-west-1")}")`,
            ]);
        });

        it("finds every shipped certificate in its stack's region", () => {
            for (const stack of ["prod", "staging"]) {
                const config = parseConfig(stackConfig(stack));
                assert.deepEqual(config.apps.filter((a) => a.tls).map((a) => a.name), ["device-gateway", "web-app"]);
                assert.deepEqual(appsCertificateRegionProblems(config.apps, config.region), []);
            }
        });
    });

    describe("image architectures against the nodes' architecture", () => {
        const onNodes = (instanceType: string, edit: (apps: any[]) => void = () => undefined) => {
            const config = withConfig("prod", "apps", (holder) => edit(holder.value));
            const cluster = JSON.parse(config["iot-platform:cluster"]);
            cluster.nodes.instanceType = instanceType;
            config["iot-platform:cluster"] = JSON.stringify(cluster);
            return config;
        };

        it("refuses an amd64-only image on Graviton nodes, naming the key", () => {
            const config = onNodes("m7g.large", (apps) => { apps[1].image.architectures = ["amd64"]; });
            assert.deepEqual(problemsOf(config), [
                "iot-platform:apps[stream-processor].image.architectures: stream-processor's image is published for amd64 only, but cluster.nodes.instanceType m7g.large runs arm64 (arm64 images); " +
                    'publish an image for arm64 or choose an instance type of that architecture (got ["amd64"])',
            ]);
        });

        it("refuses an arm64-only image on x86 nodes", () => {
            const problems = problemsOf(onNodes("m6a.large", (apps) => { apps[0].image.architectures = ["arm64"]; }));
            assert.equal(problems.length, 1);
            assert.match(problems[0], /^iot-platform:apps\[device-gateway\]\.image\.architectures: device-gateway's image is published for arm64 only/);
        });

        it("warns, without refusing, when an image's architectures are unknown on arm64 nodes", () => {
            const config = parseConfig(onNodes("m7g.large", (apps) => { apps.slice(1).forEach((a) => { a.image.architectures = ["amd64", "arm64"]; }); }));
            assert.deepEqual(config.warnings, [
                "iot-platform:apps[device-gateway].image.architectures: not declared for device-gateway, and cluster.nodes.instanceType m7g.large is arm64; " +
                    "if the image has no arm64 variant its pods fail with exec format error. Declare [amd64, arm64] once the release pipeline publishes both",
            ]);
        });

        it("has nothing to say on x86 nodes, the shipped stacks' case", () => {
            assert.deepEqual(parseConfig(stackConfig("prod")).warnings, []);
            assert.deepEqual(parseConfig(stackConfig("staging")).warnings, []);
        });

        it("refuses an architecture it does not know", () => {
            const problems = problemsOf(onNodes("m6a.large", (apps) => { apps[0].image.architectures = ["x86_64"]; }));
            assert.deepEqual(problems, ['iot-platform:apps[device-gateway].image.architectures.0: must be one of amd64, arm64 (got "x86_64")']);
        });
    });

    describe("capacity: every app at max replicas must fit the node group at max size", () => {
        it("rejects a staging catalog that outgrows three t3.large nodes, naming the app and the numbers", () => {
            // given staging fits: 300m + 600m + 1000m + 300m of 2890m
            const config = withConfig("staging", "apps", (holder) => { holder.value[2].replicas.max = 12; });
            // then 300m + 600m + 12 × 250m = 3900m > 3 × 1530m − 1700m
            assert.deepEqual(problemsOf(config), [
                "iot-platform:apps[telemetry-api].replicas.max: telemetry-api at 12 replicas × 250m CPU brings the catalog's worst case to 3900m cpu, " +
                    "over the 2890m the node group leaves for apps (3 × t3.large at 1530m allocatable each, minus 1700m for cluster services); " +
                    "lower replicas or requests, or raise cluster.nodes.max or the instance type (got 12)",
            ]);
        });

        it("rejects prod when the node group's max shrinks, at the first app that no longer fits", () => {
            const config = withConfig("prod", "cluster", (holder) => { holder.value.nodes.max = 3; });
            const problems = problemsOf(config);
            assert.equal(problems.length, 1);
            // 6 × 200m + 6 × 300m = 3000m already exceeds 3 × 1530m − 1700m = 2890m
            assert.match(problems[0], /^iot-platform:apps\[stream-processor\]\.replicas\.max: stream-processor at 6 replicas × 300m CPU brings the catalog's worst case to 3000m cpu, over the 2890m/);
        });

        it("checks memory too", () => {
            const config = withConfig("staging", "apps", (holder) => { holder.value[1].resources = { cpuMillis: 10, memoryMiB: 6000, memoryLimitMiB: 6000 }; });
            const problems = problemsOf(config);
            assert.equal(problems.length, 1);
            assert.match(problems[0], /^iot-platform:apps\[stream-processor\]\.replicas\.max: stream-processor at 3 replicas × 6000Mi memory brings the catalog's worst case to 18384Mi memory, over the 14128Mi/);
        });

        it("rejects an instance type missing from the instance catalogue, on the instance type key", () => {
            const config = withConfig("prod", "cluster", (holder) => { holder.value.nodes.instanceType = "m5.large"; });
            const problems = problemsOf(config);
            assert.equal(problems.length, 1);
            assert.match(problems[0], /^iot-platform:cluster\.nodes\.instanceType: "m5\.large" is not in the instance catalogue \(policy\/instances\.ts, 2025\.06\.2\), .*known: t3\.medium, t3\.large, /);
        });

        it("counts pods: many small replicas hit the pods-per-node limit before CPU, naming the numbers", () => {
            // given prod on 6 × m6a.large: 6 × (29 − 4) − 16 = 134 pod slots for apps, its four services, and tiny pods
            const smallPods = (telemetryMax: number) => withConfig("prod", "apps", (holder) => {
                holder.value = holder.value.slice(0, 4);
                holder.value[2].replicas = { min: 3, max: telemetryMax };
                holder.value[3].replicas = { min: 2, max: 100 };
                for (const i of [2, 3]) {
                    holder.value[i].resources = { cpuMillis: 10, memoryMiB: 16, memoryLimitMiB: 64 };
                }
            });
            // then 6 + 6 + 22 + 100 = 134 fits exactly, and one pod more does not, with CPU and memory to spare
            assert.doesNotThrow(() => parseConfig(smallPods(22)));
            assert.deepEqual(problemsOf(smallPods(23)), [
                "iot-platform:apps[web-app].replicas.max: web-app at 100 replicas brings the catalog's worst case to 135 pods, " +
                    "over the 134 pod slots the node group leaves for apps (6 × m6a.large at 29 pods each (VPC CNI limit) minus 4 DaemonSet pods = 25, " +
                    "minus 16 cluster-service pods); lower replicas, or raise cluster.nodes.max or the instance type (got 100)",
            ]);
        });
    });
});
