/**
 * The deploy preflight: values shipped in the stack files to show the shape of a setting, which a
 * real account cannot use. Each would fail a `pulumi up` only after a 10-20 minute wait (an NLB
 * listener with a certificate that does not exist, pods pulling from an account that is not yours, an
 * API endpoint nobody can reach), so the offline check lists them and a real `pulumi up` refuses
 * to start while any is left.
 */
import { cidrsOverlap, parseCidr } from "../../components/network/cidr";
import type { PlatformConfig } from "./index";
import { ALERTING_SECRET_KEYS } from "./monitoring";

export interface Placeholder {
    /** Full config key, e.g. `iot-platform:apps.0.tls.certificateArn`. */
    readonly key: string;
    readonly value: string;
    /** What makes it a placeholder. */
    readonly reason: string;
}

/** The address blocks RFC 5737 reserves for documentation; nothing on a real network uses them. */
export const DOCUMENTATION_CIDRS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] as const;

/** The account id AWS's own documentation uses in examples. */
export const DOCUMENTATION_ACCOUNT = "123456789012";

const ZERO_CERTIFICATE = /:acm:[^:]*:\d{12}:certificate\/0{8}-0{4}-0{4}-0{4}-0{8}[0-9a-f]{4}$/;
const EXAMPLE_ORG_URL = /^https?:\/\/[^/]*github\.com\/example-org\//;

const RULES: readonly { readonly reason: string; readonly matches: (value: string) => boolean }[] = [
    { reason: "an ACM certificate ARN with an all-zero id", matches: (v) => ZERO_CERTIFICATE.test(v) },
    { reason: `AWS's documentation account ${DOCUMENTATION_ACCOUNT}`, matches: (v) => new RegExp(`(^|[:.])${DOCUMENTATION_ACCOUNT}([:.]|$)`).test(v) },
    { reason: `a documentation address range (RFC 5737: ${DOCUMENTATION_CIDRS.join(", ")})`, matches: inDocumentationRange },
    { reason: "the example-org repository, not yours", matches: (v) => EXAMPLE_ORG_URL.test(v) },
];

/**
 * Every placeholder in a validated configuration (defaults applied, so a default that is itself a
 * placeholder is found too), in key order. `settings` is the loader's view under the project
 * namespace; secrets are never inspected, so their values never reach a message.
 */
export function findPlaceholders(project: string, settings: Readonly<Record<string, unknown>>): Placeholder[] {
    const found: Placeholder[] = [];
    const visit = (value: unknown, path: string[]): void => {
        if (typeof value === "string") {
            const rule = RULES.find((r) => r.matches(value));
            if (rule) {
                found.push({ key: `${project}:${path.join(".")}`, value, reason: rule.reason });
            }
        } else if (Array.isArray(value)) {
            value.forEach((item, i) => visit(item, [...path, String(i)]));
        } else if (value !== null && typeof value === "object") {
            for (const [key, child] of Object.entries(value)) {
                visit(child, [...path, key]);
            }
        }
    };
    const secretKeys: readonly string[] = ALERTING_SECRET_KEYS;
    for (const [key, value] of Object.entries(settings)) {
        if (!secretKeys.includes(key)) {
            visit(value, [key]);
        }
    }
    return found;
}

/** The placeholders of a loaded stack configuration; the derived fields (tags, region, warnings) are not settings. */
export function stackPlaceholders(config: PlatformConfig): Placeholder[] {
    const { project, region: _region, tags: _tags, warnings: _warnings, ...settings } = config;
    return findPlaceholders(project, settings);
}

export function describePlaceholder(p: Placeholder): string {
    return `${p.key}: ${JSON.stringify(p.value)} is a placeholder (${p.reason})`;
}

export class PlaceholderError extends Error {
    constructor(readonly placeholders: readonly Placeholder[]) {
        super(
            "Refusing to deploy: the stack configuration still holds placeholders. Replace each of them " +
            "(docs/first-deploy.md); `pulumi preview` only warns.\n" +
            placeholders.map((p) => `  - ${describePlaceholder(p)}`).join("\n"),
        );
        this.name = "PlaceholderError";
    }
}

/**
 * A preview (`dryRun`) warns once per placeholder and goes on, so a pull request shows its plan; a
 * real deployment throws before any resource is registered, naming every key at once.
 */
export function enforceNoPlaceholders(placeholders: readonly Placeholder[], dryRun: boolean, warn: (message: string) => void): void {
    if (placeholders.length === 0) {
        return;
    }
    if (!dryRun) {
        throw new PlaceholderError(placeholders);
    }
    placeholders.forEach((p) => warn(`${describePlaceholder(p)}; \`pulumi up\` will refuse to start until it is replaced`));
}

function inDocumentationRange(value: string): boolean {
    const range = parseCidr(value.includes("/") ? value : `${value}/32`);
    return range !== undefined && DOCUMENTATION_CIDRS.some((doc) => cidrsOverlap(range, parseCidr(doc)!));
}
