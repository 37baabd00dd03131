// Pod Security Standards, baseline and restricted, control by control. The controls, their fields and
// allowed values follow the upstream page (kubernetes.io/docs/concepts/security/pod-security-standards)
// and the admission controller's checks (kubernetes/pod-security-admission v0.35.6, policy/check_*.go).
// docs/policy-pss.md maps each upstream control to the check here; a test keeps the two in step.
//
// Deliberately stricter than upstream where it costs this platform nothing: no "hostUsers: false"
// exemptions (1.35 relaxes runAsNonRoot, runAsUser and baseline procMount in user namespaces, our
// pods do not use them) and no Windows exemptions (the node group is Linux only).
import { at, isUnknown, listAt, toNumber, UNKNOWN } from "./lib/values";

export type PssLevel = "baseline" | "restricted";

export interface PodContainer { kind: "init container" | "container" | "ephemeral container"; name: string; spec: unknown }

/** What a control sees of one pod template. */
export interface PodTemplate {
    readonly spec: unknown;
    readonly metadata: unknown;
    readonly containers: readonly PodContainer[];
}

export interface PssControl {
    /** The check's id, as docs/policy-pss.md lists it. */
    readonly id: string;
    readonly level: PssLevel;
    /** The upstream control's name. */
    readonly control: string;
    readonly problems: (pod: PodTemplate) => string[];
}

/** Every container of a pod spec: init, regular and ephemeral (upstream's visitContainers walks all three). */
export function podContainers(pod: unknown): PodContainer[] {
    const list = (key: string, kind: PodContainer["kind"]): PodContainer[] => {
        const items = listAt(pod, key);
        return Array.isArray(items) ? items.map((c, i) => {
            const name = at(c, "name");
            return { kind, name: typeof name === "string" ? name : `#${i}`, spec: c };
        }) : [];
    };
    return [...list("initContainers", "init container"), ...list("containers", "container"), ...list("ephemeralContainers", "ephemeral container")];
}

const who = (c: PodContainer) => `${c.kind} '${c.name}'`;
const own = (c: PodContainer, ...path: string[]) => at(c.spec, "securityContext", ...path);
const podLevel = (t: PodTemplate, ...path: string[]) => at(t.spec, "securityContext", ...path);
const isSet = (v: unknown) => v !== undefined && !isUnknown(v);

/** Baseline capabilities (check_capabilities_baseline.go); restricted allows only NET_BIND_SERVICE of them. */
export const BASELINE_CAPABILITIES = [
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
] as const;

/** Safe sysctls as of Kubernetes 1.32 (check_sysctls.go), the oldest version this program supports being 1.33. */
export const SAFE_SYSCTLS = [
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
] as const;

/** SELinux types allowed from 1.31 (check_seLinuxOptions.go); empty means unset. */
export const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"] as const;

/** Inline volume sources the restricted level allows (check_restrictedVolumes.go). */
export const RESTRICTED_VOLUME_SOURCES = [
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret",
] as const;

const PROFILE_TYPES = ["RuntimeDefault", "Localhost"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** Each container's own setting and the pod's, named for the message. */
function setters(t: PodTemplate, ...path: string[]): { name: string; value: unknown }[] {
    return [{ name: "pod", value: podLevel(t, ...path) }, ...t.containers.map((c) => ({ name: who(c), value: own(c, ...path) }))];
}

export const PSS_CONTROLS: readonly PssControl[] = [
    {
        id: "host-process", level: "baseline", control: "HostProcess",
        problems: (t) => setters(t, "windowsOptions", "hostProcess").filter((s) => s.value === true).map((s) => `${s.name} sets windowsOptions.hostProcess: true`),
    },
    {
        id: "host-namespaces", level: "baseline", control: "Host Namespaces",
        problems: (t) => ["hostNetwork", "hostPID", "hostIPC"].filter((flag) => at(t.spec, flag) === true).map((flag) => `${flag} is true`),
    },
    {
        id: "privileged", level: "baseline", control: "Privileged Containers",
        problems: (t) => t.containers.filter((c) => own(c, "privileged") === true).map((c) => `${who(c)} is privileged`),
    },
    {
        id: "host-ports", level: "baseline", control: "Host Ports",
        problems: (t) => t.containers.flatMap((c) => {
            const ports = listAt(c.spec, "ports");
            return (Array.isArray(ports) ? ports : [])
                .map((p) => toNumber(at(p, "hostPort")))
                .filter((port): port is number => typeof port === "number" && port !== 0)
                .map((port) => `${who(c)} uses hostPort ${port}`);
        }),
    },
    {
        id: "host-probes-lifecycle", level: "baseline", control: "Host Probes / Lifecycle Hooks (v1.34+)",
        problems: (t) => t.containers.flatMap((c) => [
            ...["livenessProbe", "readinessProbe", "startupProbe"].map((probe) => [probe]),
            ["lifecycle", "postStart"], ["lifecycle", "preStop"],
        ].flatMap((handler) => ["httpGet", "tcpSocket"].flatMap((action) => {
            const host = at(c.spec, ...handler, action, "host");
            return isSet(host) && host !== "" ? [`${who(c)} sets ${[...handler, action].join(".")}.host ${JSON.stringify(host)} (probes and hooks must target the pod)`] : [];
        }))),
    },
    {
        id: "apparmor", level: "baseline", control: "AppArmor",
        problems: (t) => {
            const fields = setters(t, "appArmorProfile", "type")
                .filter((s) => isSet(s.value) && !PROFILE_TYPES.includes(s.value as string))
                .map((s) => `${s.name} sets appArmorProfile.type ${JSON.stringify(s.value)} (RuntimeDefault or Localhost allowed)`);
            const annotations = at(t.metadata, "annotations");
            const bad = annotations !== null && typeof annotations === "object" && !isUnknown(annotations)
                ? Object.entries(annotations as Record<string, unknown>).filter(([key, value]) =>
                    key.startsWith(APPARMOR_ANNOTATION) && typeof value === "string" && value !== "" && value !== "runtime/default" && !value.startsWith("localhost/"))
                : [];
            return [...fields, ...bad.map(([key, value]) => `annotation ${key}=${JSON.stringify(value)} (runtime/default or localhost/<profile> allowed)`)];
        },
    },
    {
        id: "selinux", level: "baseline", control: "SELinux",
        problems: (t) => setters(t, "seLinuxOptions").flatMap((s) => {
            if (!isSet(s.value) || s.value === null) {
                return [];
            }
            const type = at(s.value, "type");
            return [
                ...(isSet(type) && !(SELINUX_TYPES as readonly unknown[]).includes(type) ? [`${s.name} sets seLinuxOptions.type ${JSON.stringify(type)} (allowed: ${SELINUX_TYPES.filter(Boolean).join(", ")})`] : []),
                ...["user", "role"].filter((f) => { const v = at(s.value, f); return isSet(v) && v !== ""; }).map((f) => `${s.name} sets seLinuxOptions.${f}`),
            ];
        }),
    },
    {
        id: "proc-mount", level: "baseline", control: "/proc Mount Type",
        problems: (t) => t.containers.filter((c) => { const m = own(c, "procMount"); return isSet(m) && m !== "Default"; })
            .map((c) => `${who(c)} sets procMount ${JSON.stringify(own(c, "procMount"))} (Default required)`),
    },
    {
        id: "sysctls", level: "baseline", control: "Sysctls",
        problems: (t) => {
            const sysctls = listAt(t.spec, "securityContext", "sysctls");
            return (Array.isArray(sysctls) ? sysctls : [])
                .map((s) => at(s, "name"))
                .filter((name) => isSet(name) && !(SAFE_SYSCTLS as readonly unknown[]).includes(name))
                .map((name) => `pod sets sysctl ${String(name)}, which is not namespaced to the pod`);
        },
    },
    {
        // Baseline forbids hostPath; restricted allows only the sources below, so one check covers both.
        id: "volume-types", level: "restricted", control: "Volume Types (baseline: HostPath Volumes)",
        problems: (t) => {
            const volumes = listAt(t.spec, "volumes");
            return (Array.isArray(volumes) ? volumes : []).flatMap((v) => {
                if (v === null || typeof v !== "object" || isUnknown(v)) {
                    return [];
                }
                const sources = Object.keys(v).filter((k) => k !== "name" && (v as Record<string, unknown>)[k] !== undefined && (v as Record<string, unknown>)[k] !== null);
                const bad = sources.filter((k) => !(RESTRICTED_VOLUME_SOURCES as readonly string[]).includes(k));
                return bad.map((k) => `volume ${JSON.stringify(at(v, "name"))} is a ${k} volume (allowed: ${RESTRICTED_VOLUME_SOURCES.join(", ")})`);
            });
        },
    },
    {
        id: "privilege-escalation", level: "restricted", control: "Privilege Escalation",
        problems: (t) => t.containers.filter((c) => { const v = own(c, "allowPrivilegeEscalation"); return !isUnknown(v) && v !== false; })
            .map((c) => `${who(c)} does not set allowPrivilegeEscalation: false`),
    },
    {
        id: "run-as-non-root", level: "restricted", control: "Running as Non-root",
        problems: (t) => {
            const pod = podLevel(t, "runAsNonRoot");
            return t.containers.filter((c) => {
                const mine = own(c, "runAsNonRoot");
                const effective = mine !== undefined ? mine : pod;
                return !isUnknown(effective) && effective !== true;
            }).map((c) => `${who(c)} does not set runAsNonRoot: true (container or pod securityContext)`);
        },
    },
    {
        id: "run-as-user", level: "restricted", control: "Running as Non-root user (v1.23+)",
        problems: (t) => setters(t, "runAsUser").filter((s) => toNumber(s.value) === 0).map((s) => `${s.name} sets runAsUser: 0`),
    },
    {
        // Baseline forbids Unconfined; restricted also requires a profile, so one check covers both.
        id: "seccomp", level: "restricted", control: "Seccomp (baseline: Seccomp)",
        problems: (t) => {
            const pod = podLevel(t, "seccompProfile", "type");
            const podProblem = isSet(pod) && !PROFILE_TYPES.includes(pod as string) ? [`pod has seccompProfile ${JSON.stringify(pod)} (RuntimeDefault or Localhost required)`] : [];
            return [...podProblem, ...t.containers.flatMap((c) => {
                const mine = own(c, "seccompProfile", "type");
                const effective = mine !== undefined ? mine : pod;
                if (isUnknown(effective) || PROFILE_TYPES.includes(effective as string) || (mine === undefined && podProblem.length > 0)) {
                    return [];
                }
                return [`${who(c)} has seccompProfile ${effective === undefined ? "unset" : JSON.stringify(effective)} (RuntimeDefault or Localhost required)`];
            })];
        },
    },
    {
        // Baseline allows adding its default set; restricted only NET_BIND_SERVICE, so one check covers both.
        id: "capabilities", level: "restricted", control: "Capabilities (baseline: Capabilities)",
        problems: (t) => t.containers.flatMap((c) => {
            const problems: string[] = [];
            const drop = listAt(c.spec, "securityContext", "capabilities", "drop");
            if (drop !== UNKNOWN && !(drop ?? []).includes("ALL")) {
                problems.push(`${who(c)} does not drop ALL capabilities`);
            }
            const add = listAt(c.spec, "securityContext", "capabilities", "add");
            const extra = Array.isArray(add) ? add.filter((a) => !isUnknown(a) && a !== "NET_BIND_SERVICE") : [];
            if (extra.length > 0) {
                problems.push(`${who(c)} adds capabilities ${extra.join(", ")} (only NET_BIND_SERVICE is allowed)`);
            }
            return problems;
        }),
    },
];

/** Every Pod Security Standards problem of one pod template, baseline and restricted. */
export function podSecurityProblems(spec: unknown, metadata: unknown): string[] {
    const template: PodTemplate = { spec, metadata, containers: podContainers(spec) };
    return PSS_CONTROLS.flatMap((control) => control.problems(template));
}
