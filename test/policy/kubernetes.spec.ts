import * as assert from "assert";
import {
    grafanaPasswordPolicy, imagePinnedPolicy, podSecurityRestrictedPolicy, readOnlyRootFilesystemPolicy, topologySpreadPolicy,
    workloadNamespacePolicy, workloadProbesPolicy, workloadResourcesPolicy,
} from "../../policy/kubernetes";
import { one, runStack } from "../util";
import { res, runResourcePolicy, UNKNOWN, urn } from "./util";

type Props = Record<string, any>;
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function container(name: string): Props {
    return {
        name, image: "ghcr.io/example/ingest:1.4.2",
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        livenessProbe: { httpGet: { path: "/livez", port: 8080 } },
        readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
    };
}

function initContainer(): Props {
    const { livenessProbe: _l, readinessProbe: _r, ...rest } = container("migrate");
    return rest;
}

function deployment(): Props {
    return {
        metadata: { name: "ingest", namespace: "ingest" },
        spec: {
            replicas: 2,
            template: {
                spec: {
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
                    initContainers: [initContainer()],
                    containers: [container("app")],
                },
            },
        },
    };
}

const run = (policy: Parameters<typeof runResourcePolicy>[0], mutate: (p: Props) => void = () => undefined, type = DEPLOYMENT) => {
    const props = deployment();
    mutate(props);
    return runResourcePolicy(policy, { type, props, name: "ingest" });
};
const app = (p: Props) => p.spec.template.spec.containers[0];
const pod = (p: Props) => p.spec.template.spec;

describe("kubernetes workload policies", () => {
    const all = [podSecurityRestrictedPolicy(), workloadResourcesPolicy(), workloadProbesPolicy(), imagePinnedPolicy(),
        workloadNamespacePolicy(), readOnlyRootFilesystemPolicy(), topologySpreadPolicy()];

    it("pass a compliant Deployment", () => {
        for (const p of all) {
            assert.deepStrictEqual(run(p), [], p.name);
        }
    });

    it("find the pod spec of a CronJob and a Pod", () => {
        const cron = { metadata: { namespace: "ingest" }, spec: { jobTemplate: { spec: { template: { spec: { ...deployment().spec.template.spec, initContainers: [] } } } } } };
        cron.spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
        assert.deepStrictEqual(runResourcePolicy(podSecurityRestrictedPolicy(), { type: "kubernetes:batch/v1:CronJob", props: cron, name: "c" }),
            ["CronJob 'c': container 'app' does not set allowPrivilegeEscalation: false."]);
        const p = { metadata: { namespace: "ingest" }, spec: { ...deployment().spec.template.spec, hostNetwork: true, initContainers: [] } };
        assert.deepStrictEqual(runResourcePolicy(podSecurityRestrictedPolicy(), { type: "kubernetes:core/v1:Pod", props: p, name: "p" }), ["Pod 'p': hostNetwork is true."]);
    });

    const init = (p: Props) => pod(p).initContainers[0];
    const debug = (p: Props) => {
        pod(p).ephemeralContainers = [{ name: "debug", image: "busybox:1.37", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }];
        return pod(p).ephemeralContainers[0];
    };
    // One row per upstream control (docs/policy-pss.md), each in the container kind where it is easiest to miss.
    const restricted: [string, (p: Props) => void, string[]][] = [
        ["HostProcess on the pod", p => { pod(p).securityContext.windowsOptions = { hostProcess: true }; }, ["pod sets windowsOptions.hostProcess: true"]],
        ["HostProcess on an init container", p => { init(p).securityContext.windowsOptions = { hostProcess: true }; }, ["init container 'migrate' sets windowsOptions.hostProcess: true"]],
        ["hostPID", p => { pod(p).hostPID = true; }, ["hostPID is true"]],
        ["hostIPC", p => { pod(p).hostIPC = true; }, ["hostIPC is true"]],
        ["a privileged init container", p => { init(p).securityContext.privileged = true; }, ["init container 'migrate' is privileged"]],
        ["a privileged ephemeral container", p => { debug(p).securityContext.privileged = true; }, ["ephemeral container 'debug' is privileged"]],
        ["hostPort", p => { app(p).ports = [{ containerPort: 8080, hostPort: 8080 }]; }, ["container 'app' uses hostPort 8080"]],
        ["a probe aimed at another host", p => { app(p).readinessProbe = { httpGet: { path: "/readyz", port: 8080, host: "10.0.0.1" } }; }, ["container 'app' sets readinessProbe.httpGet.host \"10.0.0.1\" (probes and hooks must target the pod)"]],
        ["a lifecycle hook aimed at another host", p => { app(p).lifecycle = { preStop: { tcpSocket: { port: 80, host: "metadata" } } }; }, ["container 'app' sets lifecycle.preStop.tcpSocket.host \"metadata\" (probes and hooks must target the pod)"]],
        ["AppArmor unconfined on a container", p => { app(p).securityContext.appArmorProfile = { type: "Unconfined" }; }, ["container 'app' sets appArmorProfile.type \"Unconfined\" (RuntimeDefault or Localhost allowed)"]],
        ["AppArmor unconfined by annotation", p => { p.spec.template.metadata = { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } }; },
            ["annotation container.apparmor.security.beta.kubernetes.io/app=\"unconfined\" (runtime/default or localhost/<profile> allowed)"]],
        ["an SELinux type outside the container types", p => { pod(p).securityContext.seLinuxOptions = { type: "spc_t" }; },
            ["pod sets seLinuxOptions.type \"spc_t\" (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)"]],
        ["an SELinux user", p => { app(p).securityContext.seLinuxOptions = { user: "system_u" }; }, ["container 'app' sets seLinuxOptions.user"]],
        ["an unmasked /proc", p => { app(p).securityContext.procMount = "Unmasked"; }, ["container 'app' sets procMount \"Unmasked\" (Default required)"]],
        ["an unsafe sysctl", p => { pod(p).securityContext.sysctls = [{ name: "net.ipv4.tcp_syncookies", value: "1" }, { name: "kernel.msgmax", value: "65536" }]; },
            ["pod sets sysctl kernel.msgmax, which is not namespaced to the pod"]],
        ["a hostPath volume", p => { pod(p).volumes = [{ name: "docker", hostPath: { path: "/var/run" } }]; },
            ["volume \"docker\" is a hostPath volume (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret)"]],
        ["an NFS volume", p => { pod(p).volumes = [{ name: "share", nfs: { server: "nfs", path: "/" } }]; },
            ["volume \"share\" is a nfs volume (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret)"]],
        ["privilege escalation", p => { delete app(p).securityContext.allowPrivilegeEscalation; }, ["container 'app' does not set allowPrivilegeEscalation: false"]],
        ["privilege escalation in an ephemeral container", p => { delete debug(p).securityContext.allowPrivilegeEscalation; }, ["ephemeral container 'debug' does not set allowPrivilegeEscalation: false"]],
        ["runAsNonRoot false on a container overrides the pod", p => { app(p).securityContext.runAsNonRoot = false; }, ["container 'app' does not set runAsNonRoot: true (container or pod securityContext)"]],
        ["no runAsNonRoot anywhere", p => { delete pod(p).securityContext.runAsNonRoot; },
            ["init container 'migrate' does not set runAsNonRoot: true (container or pod securityContext)", "container 'app' does not set runAsNonRoot: true (container or pod securityContext)"]],
        ["runAsUser 0 on the pod", p => { pod(p).securityContext.runAsUser = 0; }, ["pod sets runAsUser: 0"]],
        ["runAsUser 0 on an init container", p => { init(p).securityContext.runAsUser = 0; }, ["init container 'migrate' sets runAsUser: 0"]],
        ["unconfined seccomp on a container", p => { app(p).securityContext.seccompProfile = { type: "Unconfined" }; }, ["container 'app' has seccompProfile \"Unconfined\" (RuntimeDefault or Localhost required)"]],
        ["unconfined seccomp on the pod", p => { pod(p).securityContext.seccompProfile = { type: "Unconfined" }; }, ["pod has seccompProfile \"Unconfined\" (RuntimeDefault or Localhost required)"]],
        ["no seccomp profile anywhere", p => { delete pod(p).securityContext.seccompProfile; },
            ["init container 'migrate' has seccompProfile unset (RuntimeDefault or Localhost required)", "container 'app' has seccompProfile unset (RuntimeDefault or Localhost required)"]],
        ["capabilities not dropped in an init container", p => { init(p).securityContext.capabilities.drop = ["NET_RAW"]; }, ["init container 'migrate' does not drop ALL capabilities"]],
        ["an added capability, even one baseline allows", p => { app(p).securityContext.capabilities.add = ["CHOWN", "NET_BIND_SERVICE"]; }, ["container 'app' adds capabilities CHOWN (only NET_BIND_SERVICE is allowed)"]],
    ];
    for (const [title, mutate, expected] of restricted) {
        it(`k8s-pod-security-restricted fails ${title}`, () => {
            assert.deepStrictEqual(run(podSecurityRestrictedPolicy(), mutate), expected.map((e) => `Deployment 'ingest': ${e}.`));
        });
    }

    it("k8s-pod-security-restricted passes what the standards allow", () => {
        const allowed = (p: Props) => {
            pod(p).securityContext.sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }];
            pod(p).securityContext.seLinuxOptions = { type: "container_t", level: "s0:c123,c456" };
            pod(p).securityContext.appArmorProfile = { type: "RuntimeDefault" };
            pod(p).securityContext.runAsUser = 10001;
            pod(p).volumes = [{ name: "tmp", emptyDir: {} }, { name: "config", configMap: { name: "c" } }, { name: "token", projected: { sources: [] } }];
            app(p).securityContext.capabilities.add = ["NET_BIND_SERVICE"];
            app(p).securityContext.procMount = "Default";
            p.spec.template.metadata = { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "localhost/app-profile" } };
            debug(p).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "debug.json" };
        };
        assert.deepStrictEqual(run(podSecurityRestrictedPolicy(), allowed), []);
    });

    it("k8s-pod-security-restricted skips what is unknown during preview", () => {
        assert.deepStrictEqual(run(podSecurityRestrictedPolicy(), p => {
            pod(p).securityContext.runAsUser = UNKNOWN;
            pod(p).volumes = UNKNOWN;
            app(p).securityContext.allowPrivilegeEscalation = UNKNOWN;
        }), []);
    });

    it("k8s-workload-resources fails a missing request and limit", () => {
        assert.deepStrictEqual(run(workloadResourcesPolicy(), p => { delete app(p).resources.requests.cpu; delete app(p).resources.limits; }),
            ["Deployment 'ingest': container 'app' has no requests.cpu, limits.memory."]);
    });

    it("k8s-workload-probes fails a missing probe and identical probes", () => {
        assert.deepStrictEqual(run(workloadProbesPolicy(), p => { delete app(p).readinessProbe; }), ["Deployment 'ingest': container 'app' has no readinessProbe."]);
        assert.deepStrictEqual(run(workloadProbesPolicy(), p => { app(p).readinessProbe = { httpGet: { path: "/livez", port: 8080 } }; }),
            ["Deployment 'ingest': container 'app' uses identical liveness and readiness probes; a failing dependency would restart the pod instead of taking it out of service."]);
    });

    it("k8s-workload-probes does not ask a CronJob, which runs to completion, for probes", () => {
        const cronJob = (p: Props) => ({ metadata: p.metadata, spec: { schedule: "*/10 * * * *", jobTemplate: { spec: { template: p.spec.template } } } });
        const props = cronJob(deployment());
        delete props.spec.jobTemplate.spec.template.spec.containers[0].readinessProbe;
        assert.deepStrictEqual(runResourcePolicy(workloadProbesPolicy(), { type: "kubernetes:batch/v1:CronJob", props, name: "canary" }), []);
        assert.deepStrictEqual(run(workloadProbesPolicy(), p => { delete app(p).readinessProbe; }, "kubernetes:apps/v1:StatefulSet"),
            ["StatefulSet 'ingest': container 'app' has no readinessProbe."]);
    });

    it("k8s-image-pinned fails latest and untagged images, passes a digest and a registry port", () => {
        assert.deepStrictEqual(run(imagePinnedPolicy(), p => { app(p).image = "nginx:latest"; }), ["Deployment 'ingest': container 'app' image nginx:latest uses the tag latest."]);
        assert.deepStrictEqual(run(imagePinnedPolicy(), p => { app(p).image = "registry:5000/team/nginx"; }), ["Deployment 'ingest': container 'app' image registry:5000/team/nginx has no tag or digest."]);
        assert.deepStrictEqual(run(imagePinnedPolicy(), p => { app(p).image = `nginx@sha256:${"a".repeat(64)}`; }), []);
        assert.deepStrictEqual(run(imagePinnedPolicy(), p => { app(p).image = UNKNOWN; }), []);
    });

    it("k8s-workload-namespace fails default and missing namespaces", () => {
        assert.deepStrictEqual(run(workloadNamespacePolicy(), p => { p.metadata.namespace = "default"; }), ["Deployment 'ingest': namespace is \"default\"; deploy into a dedicated namespace."]);
        assert.deepStrictEqual(run(workloadNamespacePolicy(), p => { delete p.metadata.namespace; }), ["Deployment 'ingest': namespace is not set; deploy into a dedicated namespace."]);
    });

    it("advisory checks flag a writable root filesystem and missing topology spread", () => {
        assert.deepStrictEqual(run(readOnlyRootFilesystemPolicy(), p => { delete app(p).securityContext.readOnlyRootFilesystem; }),
            ["Deployment 'ingest': container 'app' does not set readOnlyRootFilesystem: true."]);
        assert.deepStrictEqual(run(topologySpreadPolicy(), p => { delete pod(p).topologySpreadConstraints; }),
            ["Deployment 'ingest': 2 replicas without topologySpreadConstraints; a single zone or node failure can take all of them."]);
        assert.deepStrictEqual(run(topologySpreadPolicy(), p => { delete pod(p).topologySpreadConstraints; p.spec.replicas = 1; }), []);
    });

    it("leave Helm releases alone", () => {
        assert.deepStrictEqual(runResourcePolicy(podSecurityRestrictedPolicy(), { type: "kubernetes:helm.sh/v3:Release", props: { chart: "ingress-nginx" } }), []);
    });
});

describe("grafana-no-default-password", () => {
    const policy = grafanaPasswordPolicy();
    const release = (values: Props, chart = "kube-prometheus-stack") =>
        runResourcePolicy(policy, { type: "kubernetes:helm.sh/v3:Release", name: "monitoring", props: { chart, values } });
    it("passes an existing secret", () => assert.deepStrictEqual(release({ grafana: { admin: { existingSecret: "grafana-admin" } } }), []));
    it("fails the chart default password, explicit or absent", () => {
        assert.deepStrictEqual(release({ grafana: { adminPassword: "prom-operator" } }), ["Helm release 'monitoring': grafana.adminPassword is the old chart default \"prom-operator\"; set grafana.admin.existingSecret."]);
        const unset = ["Helm release 'monitoring': grafana.adminPassword is not set (the chart then makes one up in a Secret of its own; older releases defaulted to \"prom-operator\"); set grafana.admin.existingSecret."];
        assert.deepStrictEqual(release({}, "prometheus-community/kube-prometheus-stack"), unset);
        assert.deepStrictEqual(release({}, "./charts/kube-prometheus-stack-88.5.3.tgz"), unset, "a vendored archive is the same chart");
        assert.deepStrictEqual(release({}, "./charts/kube-prometheus-stack"), unset, "so is an unpacked chart directory");
    });
    it("applies to the release the program deploys, whose chart is a vendored archive", async () => {
        const { chart } = one((await runStack("prod")).resources, "kubernetes:helm.sh/v3:Release", "-monitoring-stack").inputs;
        assert.strictEqual(release({ grafana: { admin: { existingSecret: "grafana-admin" } } }, chart).length, 0);
        assert.strictEqual(release({ grafana: {} }, chart).length, 1, chart);
    });
    it("ignores other charts, disabled Grafana and unknown values", () => {
        assert.deepStrictEqual(release({}, "loki"), []);
        assert.deepStrictEqual(release({}, "./charts/kube-prometheus-stack-extras-1.0.0.tgz"), []);
        assert.deepStrictEqual(release({ grafana: { enabled: false } }), []);
        assert.deepStrictEqual(release({ grafana: { adminPassword: UNKNOWN } }), []);
    });
});

describe("Kubernetes objects @pulumi/eks creates", () => {
    it("skips a workload under an eks:index component (not this program's to fix) but not one of our own", () => {
        // given: a privileged host-network DaemonSet, as a self-managed VPC CNI would be
        const props: Props = { metadata: { name: "aws-node", namespace: "kube-system" }, spec: { template: { spec: { hostNetwork: true, containers: [{ name: "aws-node", image: "cni:1.19.0", securityContext: { privileged: true } }] } } } };
        const cluster = res("eks:index:Cluster", "c", {}, res("iot:platform:Cluster", "cluster", {}));
        // when / then
        assert.deepStrictEqual(runResourcePolicy(podSecurityRestrictedPolicy(), { type: "kubernetes:apps/v1:DaemonSet", name: "aws-node", props, parent: cluster.urn }), []);
        assert.strictEqual(runResourcePolicy(podSecurityRestrictedPolicy(), { type: "kubernetes:apps/v1:DaemonSet", name: "aws-node", props, parent: urn("iot:platform:Cluster", "cluster") })[0],
            "DaemonSet 'aws-node': hostNetwork is true.");
    });
});
