import * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import { EscalationLadder, escalationRules, ladderProblems } from "./ladder";

/**
 * The escalation ladder applied to PagerDuty: an escalation policy, one service for the environment
 * and its two integrations: Events API v2 (Alertmanager) and Amazon CloudWatch (the data-path alarm
 * topic). The integration keys are created here and leave the component only as secrets, so nobody
 * copies a routing key by hand.
 */
export interface PagerDutyEscalationArgs {
    /** PagerDuty REST API token; used by this component's own provider instance only. */
    readonly token: pulumi.Input<string>;
    readonly ladder: EscalationLadder;
    /** Name of the PagerDuty service (one per environment); the policy is named after it. */
    readonly serviceName: string;
    /**
     * Seconds an acknowledged incident waits before it is triggered again, so an acknowledged but
     * unresolved incident comes back to the ladder. @default 3600 (the runbooks' one-hour re-page)
     */
    readonly reTriggerAcknowledgedAfterSeconds?: number;
}

/**
 * Vendor names as PagerDuty's vendor directory lists them; the provider's `getVendor` matches the
 * name case-insensitively, then as a pattern (terraform-provider-pagerduty data_source_pagerduty_vendor.go).
 */
export const CLOUDWATCH_VENDOR = "Amazon CloudWatch";
/** Integration type of an Events API v2 integration (the provider's `type`; needs `alertCreation` below). */
export const EVENTS_API_V2 = "events_api_v2_inbound_integration";
/** Events API v2 integrations need a service that creates alerts, then incidents (the provider's docs). */
export const ALERT_CREATION = "create_alerts_and_incidents";

export class PagerDutyEscalation extends pulumi.ComponentResource {
    /** Routing key of the Events API v2 integration, for Alertmanager's pagerduty_configs; a secret. */
    public readonly eventsRoutingKey: pulumi.Output<string>;
    /** Integration key of the Amazon CloudWatch integration, for the alarm topic's HTTPS subscription; a secret. */
    public readonly cloudwatchIntegrationKey: pulumi.Output<string>;
    public readonly serviceId: pulumi.Output<string>;
    public readonly escalationPolicyId: pulumi.Output<string>;

    constructor(name: string, args: PagerDutyEscalationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:incident:PagerDutyEscalation", name, {}, opts);
        const problems = ladderProblems(args.ladder, true);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`escalation ladder: ${problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; ")}`, this);
        }
        const reTrigger = args.reTriggerAcknowledgedAfterSeconds ?? 3600;

        // An explicit provider: the token comes from this stack's config, never from the environment
        // or a default provider that another program on the machine might have configured.
        const provider = new pagerduty.Provider(`${name}-provider`, { token: pulumi.secret(args.token) }, { parent: this });
        const child = { parent: this, provider };

        const policy = new pagerduty.EscalationPolicy(`${name}-policy`, {
            name: `${args.serviceName} escalation`,
            description: "Managed by Pulumi from iot-platform:incident.escalation; see docs/incident-response.md.",
            numLoops: args.ladder.repeat ?? 0,
            teams: args.ladder.team,
            rules: escalationRules(args.ladder),
        }, child);
        const service = new pagerduty.Service(`${name}-service`, {
            name: args.serviceName,
            description: "IoT platform alerts: Alertmanager (Events API v2) and the data-path CloudWatch alarms.",
            escalationPolicy: policy.id,
            alertCreation: ALERT_CREATION,
            acknowledgementTimeout: String(reTrigger),
            // Incidents resolve when their alert resolves (both integrations send resolve events).
            autoResolveTimeout: "null",
        }, child);
        // The provider reads the key back into state without marking it secret; these options do.
        const secretKey = { ...child, additionalSecretOutputs: ["integrationKey"] };
        const events = new pagerduty.ServiceIntegration(`${name}-events`, {
            name: "Alertmanager (Events API v2)",
            service: service.id,
            type: EVENTS_API_V2,
        }, secretKey);
        const vendor = pagerduty.getVendorOutput({ name: CLOUDWATCH_VENDOR }, { parent: this, provider });
        const cloudwatch = new pagerduty.ServiceIntegration(`${name}-cloudwatch`, {
            name: "Data-path CloudWatch alarms",
            service: service.id,
            vendor: vendor.id,
        }, secretKey);

        this.eventsRoutingKey = pulumi.secret(events.integrationKey.apply(requireKey("Events API v2")));
        this.cloudwatchIntegrationKey = pulumi.secret(cloudwatch.integrationKey.apply(requireKey("Amazon CloudWatch")));
        this.serviceId = service.id;
        this.escalationPolicyId = policy.id;
        this.registerOutputs({ serviceId: this.serviceId, escalationPolicyId: this.escalationPolicyId });
    }
}

/** PagerDuty always returns a key for these integration kinds; none would mean alerts silently go nowhere. */
function requireKey(kind: string) {
    return (key: string | undefined): string => {
        if (!key) {
            throw new Error(`PagerDuty returned no integration key for the ${kind} integration`);
        }
        return key;
    };
}
