// Security groups: nothing open to the internet except the configured public ports.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { readConfig, StrictConfigSchema } from "../lib/config";
import { rawProps, at, hasUnknown, isUnknown, listAt, toNumber } from "../lib/values";

export interface PublicIngressConfig { publicIngressPorts: number[] }

export const publicIngressConfigSchema: StrictConfigSchema = {
    properties: {
        publicIngressPorts: {
            type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, uniqueItems: true, default: [],
            description: "Single ports (e.g. 443 for a load balancer) that may accept ingress from 0.0.0.0/0 or ::/0",
        },
    },
    additionalProperties: false,
};

export interface IngressRule { fromPort: unknown; toPort: unknown; protocol: unknown; cidrs: unknown[] }

/** The internet-open CIDRs of a rule whose ports are not all in `allowedPorts`. Unknown parts never match. */
export function openToInternet(rule: IngressRule, allowedPorts: readonly number[]): string[] {
    const open = rule.cidrs.filter(c => c === "0.0.0.0/0" || c === "::/0") as string[];
    if (open.length === 0) {
        return [];
    }
    const from = toNumber(rule.fromPort);
    const to = toNumber(rule.toPort);
    if (isUnknown(from) || isUnknown(to) || isUnknown(rule.protocol)) {
        return [];
    }
    const allProtocols = rule.protocol === "-1" || rule.protocol === "all";
    const singleAllowedPort = !allProtocols && from !== undefined && from === to && allowedPorts.includes(from);
    return singleAllowedPort ? [] : open;
}

function describePorts(rule: IngressRule): string {
    if (rule.protocol === "-1" || rule.protocol === "all") {
        return "all ports";
    }
    return rule.fromPort === rule.toPort ? `port ${String(rule.fromPort)}` : `ports ${String(rule.fromPort)}-${String(rule.toPort)}`;
}

function cidrList(...lists: unknown[]): unknown[] {
    return lists.flatMap(l => (Array.isArray(l) && !hasUnknown(l) ? l : []));
}

/** Ingress rules declared by a security group, a SecurityGroupRule or a SecurityGroupIngressRule. */
export function ingressRules(type: string, props: Record<string, unknown>): IngressRule[] {
    switch (type) {
        case "aws:ec2/securityGroup:SecurityGroup": {
            const ingress = listAt(props, "ingress");
            return Array.isArray(ingress)
                ? ingress.map(i => ({
                    fromPort: at(i, "fromPort"), toPort: at(i, "toPort"), protocol: at(i, "protocol"),
                    cidrs: cidrList(at(i, "cidrBlocks"), at(i, "ipv6CidrBlocks")),
                }))
                : [];
        }
        case "aws:ec2/securityGroupRule:SecurityGroupRule":
            return at(props, "type") === "ingress"
                ? [{
                    fromPort: at(props, "fromPort"), toPort: at(props, "toPort"), protocol: at(props, "protocol"),
                    cidrs: cidrList(at(props, "cidrBlocks"), at(props, "ipv6CidrBlocks")),
                }]
                : [];
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return [{
                fromPort: at(props, "fromPort"), toPort: at(props, "toPort"), protocol: at(props, "ipProtocol"),
                cidrs: [at(props, "cidrIpv4"), at(props, "cidrIpv6")],
            }];
        default:
            return [];
    }
}

export function securityGroupPublicIngressPolicy(): ResourceValidationPolicy {
    const name = "security-group-no-public-ingress";
    return {
        name,
        description: "Security groups and their rules allow no ingress from 0.0.0.0/0 or ::/0, except on the ports listed in publicIngressPorts.",
        enforcementLevel: "mandatory",
        configSchema: publicIngressConfigSchema,
        validateResource: (args, reportViolation) => {
            const rules = ingressRules(args.type, rawProps(args.props));
            if (rules.length === 0) {
                return;
            }
            const config = readConfig<PublicIngressConfig>(name, publicIngressConfigSchema, () => args.getConfig(), reportViolation);
            if (!config) {
                return;
            }
            for (const rule of rules) {
                const open = openToInternet(rule, config.publicIngressPorts);
                if (open.length > 0) {
                    reportViolation(
                        `'${args.name}' (${args.type}) allows ingress from ${open.join(", ")} on ${describePorts(rule)}; ` +
                        `only ports [${config.publicIngressPorts.join(", ")}] may be open to the internet (publicIngressPorts).`,
                    );
                }
            }
        },
    };
}
