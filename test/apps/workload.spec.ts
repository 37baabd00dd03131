import { strict as assert } from "assert";
import { AppSpec, certificateArnProblem, certificateRegionProblem, imagePinProblem, imageReference, resolveApp } from "../../components/apps/app";
import { resolvePeers } from "../../components/apps/catalog";
import { minAvailableFor, quotaFor, shutdownFor } from "../../components/apps/sizing";
import { egressPolicyManifest, ingressPolicyManifest, loadBalancerServiceManifest, serviceManifest } from "../../components/apps/workloadManifests";
import { SAMPLE_VPC_CIDR, sampleApp } from "./fixtures";

/** The sample with `edit` applied, defaults resolved against the sample VPC. */
function resolved(edit: Partial<AppSpec> = {}) {
    return resolveApp({ ...sampleApp(), ...edit }, SAMPLE_VPC_CIDR);
}

describe("app entry", () => {
    it("pins images by tag, digest or both", () => {
        const repository = "registry.example.com/iot/api";
        const digest = `sha256:${"0".repeat(64)}`;
        assert.equal(imageReference({ repository, tag: "1.2.3" }), `${repository}:1.2.3`);
        assert.equal(imageReference({ repository, digest }), `${repository}@${digest}`);
        assert.equal(imageReference({ repository, tag: "1.2.3", digest }), `${repository}:1.2.3@${digest}`);
    });

    it("refuses latest and untagged images", () => {
        assert.match(imagePinProblem({ repository: "r/x", tag: "Latest" })!, /must not use the tag `latest`/);
        assert.match(imagePinProblem({ repository: "r/x" })!, /needs a tag or a digest/);
        assert.throws(() => imageReference({ repository: "r/x", tag: "latest" }), /latest/);
    });

    it("sizes the quota for max replicas plus one rollout pod", () => {
        assert.deepEqual(quotaFor(resolved()), { cpuMillis: 3500, memoryMiB: 7168, memoryLimitMiB: 14336, pods: 7, loadBalancers: 0 });
        assert.equal(quotaFor(resolved({ exposure: "internal" })).loadBalancers, 1);
        assert.equal(quotaFor(resolved({ exposure: "public" })).loadBalancers, 1);
    });

    it("keeps the disruption budget one below the HPA minimum", () => {
        assert.equal(minAvailableFor(resolved()), 2);
        assert.equal(minAvailableFor(resolved({ replicas: { min: 2, max: 2 } })), 1);
    });

    it("waits for the longest request on shutdown", () => {
        assert.deepEqual(shutdownFor(resolved()), { preStopSeconds: 10, terminationGracePeriodSeconds: 315 });
        assert.equal(shutdownFor(resolved({ requestTimeoutSeconds: undefined })).terminationGracePeriodSeconds, 45);
    });

    it("is cluster-only unless it asks for a load balancer, and an internal one admits the VPC by default", () => {
        assert.equal(resolved().exposure, "cluster");
        assert.deepEqual(resolved().allowedSourceCidrs, []);
        assert.deepEqual(resolved({ exposure: "internal" }).allowedSourceCidrs, [SAMPLE_VPC_CIDR]);
        assert.deepEqual(resolved({ exposure: "internal", allowedSourceCidrs: ["192.168.10.0/24"] }).allowedSourceCidrs, ["192.168.10.0/24"]);
        assert.deepEqual(resolved({ exposure: "public" }).allowedSourceCidrs, []);
    });
});

describe("app peers", () => {
    const web = resolved({ name: "web-app", namespace: "web", port: 3000, allowFrom: [], dataAccess: [] });
    const api = resolved();

    it("opens both ends of a declared call", () => {
        const peers = resolvePeers([api, web]);
        assert.deepEqual(peers.get("telemetry-api"), { callers: [{ app: "web-app", namespace: "web", port: 3000 }], callees: [] });
        assert.deepEqual(peers.get("web-app"), { callers: [], callees: [{ app: "telemetry-api", namespace: "api", port: 8080 }] });
    });

    it("refuses a caller outside the catalog", () => {
        assert.throws(() => resolvePeers([api]), /allows calls from "web-app", which is not in the catalog/);
    });

    it("renders no egress policy for an app that calls nothing and has no data access", () => {
        assert.equal(egressPolicyManifest(web, "web", []), undefined);
        assert.ok(egressPolicyManifest(web, "web", [{ app: "telemetry-api", namespace: "api", port: 8080 }]));
    });

});

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/** The legacy controller's NLB TLS annotations for CERTIFICATE, written out rather than imported. */
const TLS_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": CERTIFICATE,
    "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "443",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
};

describe("app exposure", () => {
    const deviceSites = ["192.168.10.0/24", "172.20.0.0/16"];
    const json = (value: unknown) => JSON.parse(JSON.stringify(value ?? null));
    const service = (edit: Partial<AppSpec>) => json(serviceManifest(resolved(edit), "api"));
    const loadBalancer = (edit: Partial<AppSpec>) => json(loadBalancerServiceManifest(resolved(edit), "api"));
    /** The CIDRs of the ingress rule that carries ipBlocks, in order. */
    const policySources = (edit: Partial<AppSpec>) => {
        const rules = JSON.parse(JSON.stringify(ingressPolicyManifest(resolved(edit), "api", [], SAMPLE_VPC_CIDR))).spec.ingress;
        return rules.filter((r: any) => r.from[0].ipBlock).map((r: any) => ({ ports: r.ports, cidrs: r.from.map((f: any) => f.ipBlock.cidr) }));
    };

    it("reaches every app in the cluster through a ClusterIP Service on the container port, whatever its exposure", () => {
        for (const edit of [{}, { exposure: "internal" }, { exposure: "public", tls: { certificateArn: CERTIFICATE } }] as Partial<AppSpec>[]) {
            const svc = service(edit);
            assert.equal(svc.metadata.name, "telemetry-api");
            assert.equal(svc.spec.type, "ClusterIP");
            assert.equal(svc.metadata.annotations, undefined);
            assert.deepEqual(svc.spec.ports, [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
        }
        assert.deepEqual(service({ port: 9090 }).spec.ports, [{ name: "http", port: 9090, targetPort: "http", protocol: "TCP" }]);
    });

    it("gives a cluster app no load balancer and no CIDR rule", () => {
        assert.equal(loadBalancer({}), null);
        assert.deepEqual(policySources({}), []);
    });

    it("gives an internal app an internal NLB limited to the VPC by default, listening on 80", () => {
        const svc = loadBalancer({ exposure: "internal" });
        assert.equal(svc.metadata.name, "telemetry-api-lb");
        assert.equal(svc.spec.type, "LoadBalancer");
        assert.deepEqual(svc.metadata.annotations, {
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
        });
        assert.deepEqual(svc.spec.loadBalancerSourceRanges, [SAMPLE_VPC_CIDR]);
        assert.deepEqual(svc.spec.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
        assert.deepEqual(policySources({ exposure: "internal" }), [{ ports: [{ protocol: "TCP", port: 8080 }], cidrs: [SAMPLE_VPC_CIDR] }]);
    });

    it("admits exactly the declared device networks at the NLB, and those plus the node range in the policy", () => {
        const edit: Partial<AppSpec> = { exposure: "internal", allowedSourceCidrs: deviceSites };
        assert.deepEqual(loadBalancer(edit).spec.loadBalancerSourceRanges, deviceSites);
        assert.deepEqual(policySources(edit), [{ ports: [{ protocol: "TCP", port: 8080 }], cidrs: [SAMPLE_VPC_CIDR, ...deviceSites] }]);
    });

    it("lists the VPC once when the declared networks include it", () => {
        const edit: Partial<AppSpec> = { exposure: "internal", allowedSourceCidrs: [SAMPLE_VPC_CIDR, "192.168.10.0/24"] };
        assert.deepEqual(policySources(edit)[0].cidrs, [SAMPLE_VPC_CIDR, "192.168.10.0/24"]);
    });

    it("gives a public app an internet-facing TLS NLB with no source ranges and the VPC rule for its node-port traffic", () => {
        const edit: Partial<AppSpec> = { exposure: "public", tls: { certificateArn: CERTIFICATE } };
        const svc = loadBalancer(edit);
        assert.equal(svc.spec.type, "LoadBalancer");
        assert.deepEqual(svc.metadata.annotations, { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb", ...TLS_ANNOTATIONS });
        assert.equal(svc.spec.loadBalancerSourceRanges, undefined);
        assert.deepEqual(svc.spec.ports, [{ name: "https", port: 443, targetPort: "http", protocol: "TCP" }]);
        assert.deepEqual(policySources(edit), [{ ports: [{ protocol: "TCP", port: 8080 }], cidrs: [SAMPLE_VPC_CIDR] }]);
    });

    it("gives an internal app with tls a TLS listener on 443, while the pods and their policy stay on the container port", () => {
        const edit: Partial<AppSpec> = { exposure: "internal", tls: { certificateArn: CERTIFICATE } };
        const svc = loadBalancer(edit);
        assert.deepEqual(svc.metadata.annotations, {
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
            ...TLS_ANNOTATIONS,
        });
        assert.deepEqual(svc.spec.ports, [{ name: "https", port: 443, targetPort: "http", protocol: "TCP" }]);
        assert.deepEqual(svc.spec.loadBalancerSourceRanges, [SAMPLE_VPC_CIDR]);
        assert.deepEqual(policySources(edit), [{ ports: [{ protocol: "TCP", port: 8080 }], cidrs: [SAMPLE_VPC_CIDR] }]);
    });
});

describe("load balancer certificates", () => {
    it("accepts an ACM certificate ARN in any partition", () => {
        assert.equal(certificateArnProblem(CERTIFICATE), undefined);
        assert.equal(certificateArnProblem("arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), undefined);
    });

    it("refuses malformed and non-ACM ARNs", () => {
        for (const arn of ["", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "arn:aws:acm:us-east-1:12345:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", `${CERTIFICATE} `]) {
            assert.match(certificateArnProblem(arn)!, /^must be an ACM certificate ARN like /, arn);
        }
        assert.match(certificateArnProblem("arn:aws:iam::123456789012:server-certificate/dashboard")!, /not one of iam/);
    });

    it("refuses a certificate of another region", () => {
        assert.equal(certificateRegionProblem(CERTIFICATE, "us-east-1"), undefined);
        assert.equal(certificateRegionProblem(CERTIFICATE, "us-east-2"),
            "is in us-east-1, but the load balancer can only use an ACM certificate of its own region, aws:region us-east-2");
    });
});
