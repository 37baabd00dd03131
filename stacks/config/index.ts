/**
 * The one place that reads stack configuration. Everything is validated before the program
 * registers a resource, and every error names the full key (`iot-platform:cluster.nodes.max`),
 * the bad value and what is allowed.
 */
import { z } from "zod";
import { cidrsOverlap, parseCidr } from "../../components/network/cidr";
import { appsArchitectureProblems, appsArchitectureWarnings, appsCapacityProblems, appsCertificateRegionProblems, appsSchema } from "./apps";
import { clusterSchema } from "./cluster";
import { costBaselineProblems, costBaselineSchema } from "./cost";
import { dataSchema } from "./data";
import { incidentProblems, incidentSchema } from "./incident";
import { alertingSecret, monitoringSchema } from "./monitoring";
import { networkSchema } from "./network";
import { strictObject } from "./schema";

export const PROJECT = "iot-platform";

const platformSchema = strictObject({
    /** Environment name; tags every resource and selects the policy config. */
    environment: z.string().regex(/^[a-z][a-z0-9-]{1,19}$/, { error: "must be 2-20 lowercase letters, digits or dashes, starting with a letter" }),
    /** Billing owner, copied into the CostCenter tag. */
    costCenter: z.string().regex(/^[A-Za-z0-9 _.:/=+@-]{1,128}$/, { error: "must be 1-128 characters valid in an AWS tag value" }),
    network: networkSchema,
    cluster: clusterSchema,
    data: dataSchema,
    /** The application catalog: one entry per service, each in its own namespace (README.md, "The app entry"). */
    apps: appsSchema,
    monitoring: monitoringSchema.prefault({}),
    /** What the environment replaces; the offline check compares the stack's compute cost with it (docs/cost.md). */
    costBaseline: costBaselineSchema.optional(),
    /** The escalation ladder (docs/incident-response.md); the seed's ladder when left out. */
    incident: incidentSchema,
    /** Alert receiver credentials: set with `pulumi config set --secret` (README.md, "Configuring the receivers"). */
    slackWebhookUrl: alertingSecret,
    pagerdutyRoutingKey: alertingSecret,
    pagerdutyCloudwatchKey: alertingSecret,
    /** PagerDuty REST API token: opts into the program managing the escalation policy, service and integrations. */
    pagerdutyToken: alertingSecret,
});

type PlatformSettings = z.infer<typeof platformSchema>;

export interface PlatformConfig extends PlatformSettings {
    readonly project: string;
    readonly region: string;
    /** Tags every taggable AWS resource carries. */
    readonly tags: Readonly<Record<string, string>>;
    /** Doubts that do not stop a deployment (`key: message`, full keys); the program logs them, the offline check shows them. */
    readonly warnings: readonly string[];
}

export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * Validates the stack's whole configuration, as the Pulumi CLI hands it to the program: a map of
 * `namespace:key` to string, structured values as JSON text.
 */
export function parsePlatformConfig(all: Readonly<Record<string, string>>): PlatformConfig {
    const problems: string[] = [];
    const settings: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, key] = splitKey(fullKey);
        if (namespace !== PROJECT) {
            continue;
        }
        settings[key] = decode(text);
    }

    const region = all["aws:region"];
    if (!region) {
        problems.push(`aws:region: required; set it with \`pulumi config set aws:region us-east-1\``);
    }

    const parsed = platformSchema.safeParse(settings);
    if (!parsed.success) {
        problems.push(...parsed.error.issues.map((issue) => describe(issue, settings)));
    }
    if (parsed.success && region) {
        problems.push(...crossChecks(parsed.data, region));
    }
    if (problems.length > 0 || !parsed.success || !region) {
        throw new ConfigError(problems);
    }

    const config = parsed.data;
    return {
        ...config,
        project: PROJECT,
        region,
        tags: {
            Environment: config.environment,
            Project: PROJECT,
            CostCenter: config.costCenter,
            ManagedBy: "pulumi",
        },
        warnings: appsArchitectureWarnings(config.apps, config.cluster.nodes.instanceType).map((warning) => `${PROJECT}:${warning}`),
    };
}

/** Rules that span several keys or need the region. */
function crossChecks(config: PlatformSettings, region: string): string[] {
    const problems: string[] = [];
    config.network.availabilityZones.forEach((az, i) => {
        if (!az.startsWith(region) || az.length !== region.length + 1) {
            problems.push(`${PROJECT}:network.availabilityZones.${i}: "${az}" is not a zone of aws:region ${region} (expected ${region}a, ${region}b, ...)`);
        }
    });
    if (rangesOverlap(config.network.cidr, config.cluster.serviceCidr)) {
        problems.push(
            `${PROJECT}:cluster.serviceCidr: ${config.cluster.serviceCidr} overlaps the VPC range ${config.network.cidr} (${PROJECT}:network.cidr); pick a range outside it`,
        );
    }
    problems.push(...appsCertificateRegionProblems(config.apps, region).map((problem) => `${PROJECT}:${problem}`));
    problems.push(...appsCapacityProblems(config.apps, config.cluster.nodes).map((problem) => `${PROJECT}:${problem}`));
    problems.push(...costBaselineProblems(config.costBaseline, region).map((problem) => `${PROJECT}:${problem}`));
    problems.push(...appsArchitectureProblems(config.apps, config.cluster.nodes.instanceType).map((problem) => `${PROJECT}:${problem}`));
    const pagerdutyManaged = config.pagerdutyToken !== undefined;
    problems.push(...incidentProblems(config.incident.escalation, pagerdutyManaged).map((problem) => `${PROJECT}:${problem}`));
    for (const key of ["pagerdutyRoutingKey", "pagerdutyCloudwatchKey"] as const) {
        if (pagerdutyManaged && config[key] !== undefined) {
            problems.push(`${PROJECT}:${key}: must not be set together with ${PROJECT}:pagerdutyToken: the program creates the integration and its key; remove it with \`pulumi config rm ${key}\``);
        }
    }
    return problems;
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

function describe(issue: z.core.$ZodIssue, settings: Record<string, unknown>): string {
    const key = `${PROJECT}:${issue.path.map(String).join(".")}`;
    if (issue.code === "unrecognized_keys") {
        const where = issue.path.length > 0 ? key : PROJECT;
        return `${where}: ${issue.message}`;
    }
    const value = valueAt(settings, issue.path);
    const got = value === undefined ? "required but missing" : `got ${JSON.stringify(value)}`;
    return `${key}: ${issue.message} (${got})`;
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
