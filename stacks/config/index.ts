/**
 * The one place that reads stack configuration. Everything is validated before the program
 * registers a resource, and every error names the full key (`iot-platform:cluster.nodes.max`),
 * the bad value and what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { cidrsOverlap, parseCidr } from "../../components/network/cidr";
import { PRICE_TABLE } from "../../policy/pricing";
import {
    appsArchitectureProblems, appsArchitectureWarnings, appsCapacityProblems, appsCatalogProblems, appsCertificateRegionProblems, appsSchema,
} from "./apps";
import { clusterSchema, kubernetesVersionSupport } from "./cluster";
import { costBaselineProblems, costBaselineSchema } from "./cost";
import { dataSchema } from "./data";
import { incidentProblems, incidentSchema } from "./incident";
import { ALERTING_SECRET_KEYS, alertingSecret, monitoringSchema } from "./monitoring";
import { networkSchema, REGION_NAME, ZONE_NAME } from "./network";
import { didYouMean, isRecord, objectKeysAt, Problem, salvage, Salvaged, strictObject } from "./schema";
import { accountAvailabilityZones, AvailabilityZone, resolveZones } from "./zones";

export type { AvailabilityZone } from "./zones";

export const PROJECT = "iot-platform";

const platformSchema = strictObject({
    /** Environment name; tags every resource and selects the policy config. */
    environment: z.string().regex(/^[a-z][a-z0-9-]{1,19}$/, { error: "must be 2-20 lowercase letters, digits or dashes, starting with a letter" }),
    /** Billing owner, copied into the CostCenter tag. */
    costCenter: z.string().regex(/^[A-Za-z0-9 _.:/=+@-]{1,128}$/, { error: "must be 1-128 characters valid in an AWS tag value" }),
    network: networkSchema,
    cluster: clusterSchema,
    data: dataSchema,
    /** The application catalog: one entry per service, each in its own namespace (docs/applications.md, "The app entry"). */
    apps: appsSchema,
    monitoring: monitoringSchema.prefault({}),
    /** What the environment replaces; the offline check compares the stack's compute cost with it (docs/cost.md). */
    costBaseline: costBaselineSchema.optional(),
    /** The escalation ladder (docs/incident-response.md); the seed's ladder when left out. */
    incident: incidentSchema,
    /** Alert receiver credentials: set with `pulumi config set --secret` (docs/monitoring.md, "Configuring the receivers"). */
    slackWebhookUrl: alertingSecret,
    pagerdutyRoutingKey: alertingSecret,
    pagerdutyCloudwatchKey: alertingSecret,
    /** PagerDuty REST API token: opts into the program managing the escalation policy, service and integrations. */
    pagerdutyToken: alertingSecret,
});

type PlatformSettings = z.infer<typeof platformSchema>;

/** The keys a stack may set under the project namespace. */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(platformSchema.shape);

export interface PlatformConfig extends PlatformSettings {
    readonly project: string;
    readonly region: string;
    /** Tags every taggable AWS resource carries. */
    readonly tags: Readonly<Record<string, string>>;
    /** Doubts that do not stop a deployment (`key: message`, full keys); the program logs them, the offline check shows them. */
    readonly warnings: readonly string[];
}

/**
 * Namespaces a stack may set keys in: this project's, the AWS provider's (`aws:region`, `aws:profile`)
 * and Pulumi's own. A key anywhere else, such as a misspelt `iot-platfom:monitoring`, would be read by
 * no one and its defaults used instead, so it is an error.
 */
export const KNOWN_NAMESPACES: readonly string[] = [PROJECT, "aws", "pulumi"];

/**
 * Top-level keys that hold credentials. Each must be set with `pulumi config set --secret`, so a
 * stack file only ever holds its ciphertext. A new credential key belongs in this list.
 */
export const CREDENTIAL_KEYS: readonly string[] = [...ALERTING_SECRET_KEYS];

/**
 * A RunError, so `pulumi up` prints just the list of problems, without a stack trace
 * (@pulumi/pulumi 3.241.0, cmd/run/run.js).
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/** What the loader needs besides the config map. */
export interface ConfigSources {
    /** Whether a full key (`iot-platform:slackWebhookUrl`) was set with `--secret`. */
    readonly isSecret: (fullKey: string) => boolean;
    /** The zones of aws:region in the deploying account; undefined when they could not be listed. */
    readonly zones: readonly AvailabilityZone[] | undefined;
    /** The day of the deployment: whether EKS still supports the Kubernetes version depends on it. */
    readonly today: Date;
}

/**
 * What the program runs before it creates anything: lists the account's zones in aws:region, then
 * validates the whole configuration, reporting every problem at once.
 */
export async function loadPlatformConfig(
    all: Readonly<Record<string, string>>,
    isSecret: (fullKey: string) => boolean = configIsSecret,
    zonesOf: (region: string) => Promise<readonly AvailabilityZone[]> = accountAvailabilityZones,
): Promise<PlatformConfig> {
    const region = all["aws:region"];
    let zones: readonly AvailabilityZone[] | undefined;
    const problems: string[] = [];
    if (region !== undefined && REGION_NAME.test(region)) {
        try {
            zones = await zonesOf(region);
        } catch (err) {
            problems.push(`aws:region: cannot list the availability zones of ${region} to check ${PROJECT}:network.availabilityZones ` +
                `(${err instanceof Error ? err.message : String(err)}); check the AWS credentials and that the region is enabled for the account`);
        }
    }
    try {
        const config = parsePlatformConfig(all, { isSecret, zones, today: new Date() });
        if (problems.length === 0) {
            return config;
        }
    } catch (err) {
        if (!(err instanceof ConfigError)) {
            throw err;
        }
        problems.push(...err.problems);
    }
    throw new ConfigError(problems);
}

/**
 * Whether the CLI marked a key secret. The Node language host passes the secret keys in
 * PULUMI_CONFIG_SECRET_KEYS; @pulumi/pulumi (3.241.0, runtime/config.js) reads them in
 * `runtime.isConfigSecret`, which it exports but leaves out of its type declarations.
 */
export function configIsSecret(fullKey: string): boolean {
    const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof isConfigSecret !== "function") {
        throw new Error("@pulumi/pulumi no longer exports runtime.isConfigSecret; update configIsSecret in stacks/config/index.ts");
    }
    const [namespace, key] = splitKey(fullKey);
    // Older language hosts spell keys `<namespace>:config:<key>`.
    return isConfigSecret(fullKey) || isConfigSecret(`${namespace}:config:${key}`);
}

/**
 * Validates the stack's whole configuration, as the Pulumi CLI hands it to the program: a map of
 * `namespace:key` to string, structured values as JSON text. Every check that can run does, also
 * those across keys on the parts that parsed, so one run lists every problem.
 */
export function parsePlatformConfig(all: Readonly<Record<string, string>>, sources: ConfigSources): PlatformConfig {
    const problems: string[] = [];
    const settings: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, key] = splitKey(fullKey);
        if (namespace === PROJECT) {
            settings[key] = decode(text);
        } else if (!KNOWN_NAMESPACES.includes(namespace)) {
            problems.push(namespaceProblem(fullKey, namespace, key));
        }
    }
    problems.push(...credentialProblems(all, sources.isSecret));
    const region = checkedRegion(all, problems);

    const parsed = platformSchema.safeParse(settings);
    if (!parsed.success) {
        problems.push(...parsed.error.issues.flatMap((issue) => describe(issue, settings)));
    }
    const parts = (parsed.success ? parsed.data : salvage(platformSchema, settings) ?? {}) as Salvaged<PlatformSettings>;
    const cross = crossChecks(parts, settings, region, sources.zones);
    const version = parts.cluster?.kubernetesVersion === undefined ? { problems: [], warnings: [] }
        : kubernetesVersionSupport(parts.cluster.kubernetesVersion, sources.today, controlPlanePrice(region));
    cross.problems.push(...version.problems);
    problems.push(...cross.problems.map((problem) => `${keyOf(problem.path, settings)}: ${problem.message}`));
    if (problems.length > 0 || !parsed.success || region === undefined) {
        throw new ConfigError(problems);
    }

    const config = parsed.data;
    return {
        ...config,
        network: { ...config.network, availabilityZones: cross.zones.filter((zone): zone is string => zone !== undefined) },
        project: PROJECT,
        region,
        tags: {
            Environment: config.environment,
            Project: PROJECT,
            CostCenter: config.costCenter,
            ManagedBy: "pulumi",
        },
        warnings: [...version.warnings, ...appsArchitectureWarnings(config.apps, config.cluster.nodes.instanceType)]
            .map((warning) => `${keyOf(warning.path, settings)}: ${warning.message}`),
    };
}

function controlPlanePrice(region: string | undefined) {
    const hourly = region === undefined ? undefined : PRICE_TABLE.regions[region]?.eksControlPlaneHour;
    return hourly === undefined ? undefined : { hourly, hoursPerMonth: PRICE_TABLE.hoursPerMonth };
}

function namespaceProblem(fullKey: string, namespace: string, key: string): string {
    if (namespace === "") {
        return `${fullKey}: has no namespace; write it as ${PROJECT}:${fullKey}`;
    }
    const guess = didYouMean(namespace, KNOWN_NAMESPACES);
    return `${fullKey}: unknown namespace "${namespace}"${guess ? ` (did you mean ${guess}:${key}?)` : ""}; keys must be under ${KNOWN_NAMESPACES.join(", ")}`;
}

function credentialProblems(all: Readonly<Record<string, string>>, isSecret: (fullKey: string) => boolean): string[] {
    return CREDENTIAL_KEYS
        .map((key) => `${PROJECT}:${key}`)
        .filter((fullKey) => all[fullKey] !== undefined && !isSecret(fullKey))
        .map((fullKey) =>
            `${fullKey}: is a credential set in plaintext, so it sits in the stack file and in git; set it with ` +
            `\`pulumi config set --secret ${fullKey}\` (it prompts for the value) and rotate it if the plaintext was ever committed`);
}

/** The region if it is a region name; otherwise undefined, with the problem recorded. */
function checkedRegion(all: Readonly<Record<string, string>>, problems: string[]): string | undefined {
    const region = all["aws:region"];
    if (region === undefined || region === "") {
        const misspelt = Object.keys(all).find((key) => key.startsWith("aws:") && didYouMean(key.slice(4), ["region"]) !== undefined);
        problems.push(`aws:region: required; set it with \`pulumi config set aws:region us-east-1\`${misspelt === undefined ? "" : ` (the stack sets ${misspelt}: a misspelling?)`}`);
        return undefined;
    }
    const zone = ZONE_NAME.exec(region);
    if (zone) {
        problems.push(`aws:region: "${region}" is an availability zone, not a region; set aws:region to ${zone[1]} and list zones in ${PROJECT}:network.availabilityZones`);
        return undefined;
    }
    if (!REGION_NAME.test(region)) {
        problems.push(`aws:region: "${region}" is not an AWS region name like us-east-1`);
        return undefined;
    }
    return region;
}

/**
 * Rules that span several keys or need the region, run on whatever parsed: a typo in one app must not
 * hide a certificate of the wrong region in another.
 */
function crossChecks(
    parts: Salvaged<PlatformSettings>, settings: Record<string, unknown>, region: string | undefined, zones: readonly AvailabilityZone[] | undefined,
): { problems: Problem[]; zones: (string | undefined)[] } {
    const problems: Problem[] = [];
    let zoneNames = parts.network?.availabilityZones ?? [];
    if (region !== undefined && parts.network?.availabilityZones !== undefined) {
        const resolved = resolveZones(parts.network.availabilityZones, region, zones);
        problems.push(...resolved.problems);
        zoneNames = resolved.names;
    }
    const vpc = parts.network?.cidr;
    const services = parts.cluster?.serviceCidr;
    if (vpc !== undefined && services !== undefined && rangesOverlap(vpc, services)) {
        problems.push({ path: ["cluster", "serviceCidr"], message: `${services} overlaps the VPC range ${vpc} (${PROJECT}:network.cidr); pick a range outside it` });
    }
    problems.push(...appsCatalogProblems(parts.apps));
    if (region !== undefined) {
        problems.push(...appsCertificateRegionProblems(parts.apps, region));
    }
    const apps = appsSchema.safeParse(settings.apps);
    const nodes = clusterSchema.shape.nodes.safeParse(isRecord(settings.cluster) ? settings.cluster.nodes : undefined);
    if (apps.success && nodes.success) {
        problems.push(...appsCapacityProblems(apps.data, nodes.data));
        problems.push(...appsArchitectureProblems(apps.data, nodes.data.instanceType));
    }
    const baseline = costBaselineSchema.optional().safeParse(settings.costBaseline);
    if (region !== undefined && baseline.success) {
        problems.push(...costBaselineProblems(baseline.data, region));
    }
    const pagerdutyManaged = settings.pagerdutyToken !== undefined;
    const incident = incidentSchema.safeParse(settings.incident);
    if (incident.success) {
        problems.push(...incidentProblems(incident.data.escalation, pagerdutyManaged));
    }
    for (const key of ["pagerdutyRoutingKey", "pagerdutyCloudwatchKey"] as const) {
        if (pagerdutyManaged && settings[key] !== undefined) {
            problems.push({
                path: [key],
                message: `must not be set together with ${PROJECT}:pagerdutyToken: the program creates the integration and its key; remove it with \`pulumi config rm ${key}\``,
            });
        }
    }
    return { problems, zones: zoneNames };
}

function rangesOverlap(a: string, b: string): boolean {
    const pa = parseCidr(a);
    const pb = parseCidr(b);
    return pa !== undefined && pb !== undefined && cidrsOverlap(pa, pb);
}

function splitKey(fullKey: string): [string, string] {
    const colon = fullKey.indexOf(":");
    return colon < 0 ? ["", fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

/**
 * The CLI passes structured values (objects, arrays) as JSON text and top-level scalars as plain
 * strings; a top-level `costCenter: 1234` must stay the string "1234".
 */
function decode(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) {
        return text;
    }
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** How the schema's types read in a message, instead of the library's "expected object, received string". */
const TYPE_NAMES: Readonly<Record<string, string>> = {
    string: "a string", number: "a number", int: "a whole number", boolean: "true or false",
    object: "a mapping of keys to values", array: "a list", record: "a mapping of keys to values",
};

function describe(issue: z.core.$ZodIssue, settings: Record<string, unknown>): string[] {
    const key = keyOf(issue.path, settings);
    if (issue.code === "unrecognized_keys") {
        const allowed = objectKeysAt(platformSchema, issue.path) ?? [];
        return issue.keys.map((unknown) => {
            const guess = didYouMean(unknown, allowed);
            const hint = guess === undefined ? "" : ` (did you mean ${keyOf([...issue.path, guess], settings)}?)`;
            return `${keyOf([...issue.path, unknown], settings)}: unknown key${hint}; allowed keys${issue.path.length > 0 ? ` in ${key}` : ""}: ${allowed.join(", ")}`;
        });
    }
    // A schema's own message wins; the library's default one ("Invalid input: expected ...") is replaced.
    const message = issue.code === "invalid_type" && issue.message.startsWith("Invalid input") ? `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}` : issue.message;
    const value = valueAt(settings, issue.path);
    if (CREDENTIAL_KEYS.includes(String(issue.path[0]))) {
        // A credential's value never goes into a log, not even a wrong one.
        return [`${key}: ${message}`];
    }
    return [`${key}: ${message} (${value === undefined ? "required but missing" : `got ${JSON.stringify(value)}`})`];
}

/**
 * The full key of a path below the project namespace: `iot-platform:cluster.nodes.max`, and entries
 * with a unique `name` by that name (`iot-platform:apps[device-gateway].replicas.min`).
 */
function keyOf(path: readonly PropertyKey[], settings: Record<string, unknown>): string {
    let key = PROJECT;
    let raw: unknown = settings;
    path.forEach((segment, i) => {
        if (typeof segment === "number" && Array.isArray(raw)) {
            const name = uniqueName(raw, segment);
            key += name === undefined ? `.${segment}` : `[${name}]`;
        } else {
            key += `${i === 0 ? ":" : "."}${String(segment)}`;
        }
        raw = isRecord(raw) || Array.isArray(raw) ? (raw as Record<PropertyKey, unknown>)[segment] : undefined;
    });
    return key;
}

function uniqueName(list: readonly unknown[], index: number): string | undefined {
    const nameOf = (entry: unknown) => (isRecord(entry) && typeof entry.name === "string" && entry.name !== "" ? entry.name : undefined);
    const name = nameOf(list[index]);
    return name !== undefined && list.filter((entry) => nameOf(entry) === name).length === 1 ? name : undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let current = root;
    for (const segment of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return current;
}
