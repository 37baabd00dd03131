// Environment tag guard: proves the policy config matches the stack being previewed, so prod limits are
// never applied to staging (the policies never read the stack name).
import { StackValidationPolicy } from "@pulumi/policy";
import { StrictConfigSchema } from "./lib/config";
import { configuredStackCheck } from "./lib/policy";
import { fromPolicyResources, StackGraph } from "./lib/graph";
import { at, isRecord, UNKNOWN } from "./lib/values";

export interface EnvironmentTagConfig { environment: string }

export const environmentTagConfigSchema: StrictConfigSchema = {
    properties: {
        environment: { type: "string", minLength: 1, description: "Value every taggable resource's Environment tag must have" },
    },
    required: ["environment"],
    additionalProperties: false,
};

/** Types this platform creates that must always be tagged, even when no tags were passed at all. */
export const TAGGABLE_TYPES: readonly string[] = [
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip",
    "aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable", "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/flowLog:FlowLog", "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup", "aws:kinesis/stream:Stream",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
    "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role",
];

/**
 * The Environment tag of a resource: from `tags`, else from `tagsAll` (provider default tags).
 * `taggable` is false for resources that neither are in TAGGABLE_TYPES nor carry tags.
 */
export function environmentTag(type: string, props: Record<string, unknown>): { taggable: boolean; value: unknown } {
    const tags = at(props, "tags");
    if (tags === UNKNOWN) {
        return { taggable: true, value: UNKNOWN };
    }
    const tagsAll = at(props, "tagsAll");
    const taggable = TAGGABLE_TYPES.includes(type) || isRecord(tags) || isRecord(tagsAll) || tagsAll === UNKNOWN;
    const fromTags = at(tags, "Environment");
    if (fromTags !== undefined) {
        return { taggable, value: fromTags };
    }
    return { taggable, value: at(tagsAll, "Environment") };
}

export function environmentTagPolicy(): StackValidationPolicy {
    const name = "environment-tag";
    return configuredStackCheck<EnvironmentTagConfig>({
        name,
        description: "Every taggable AWS resource carries an Environment tag equal to the environment named in the policy config.",
        configSchema: environmentTagConfigSchema,
        check: (config, args, reportViolation) => {
            const graph = new StackGraph(fromPolicyResources(args.resources));
            const wrong: { r: (typeof graph.resources)[number]; value: unknown }[] = [];
            let matching = 0;
            for (const r of graph.resources) {
                // Children of @pulumi/eks components are tagged through the component's own tag
                // arguments, which do not reach every child (e.g. its IAM roles); the program cannot fix those.
                if (!r.type.startsWith("aws:") || graph.ancestors(r).some(a => a.type.startsWith("eks:"))) {
                    continue;
                }
                const { taggable, value } = environmentTag(r.type, r.props);
                if (!taggable || value === UNKNOWN) {
                    continue;
                }
                if (value === config.environment) {
                    matching++;
                } else {
                    wrong.push({ r, value });
                }
            }
            // Not one resource of this environment and all of one other: the config is the wrong one, which
            // is one mistake, not one per resource.
            const others = new Set(wrong.map(w => w.value));
            const [other] = others;
            if (matching === 0 && wrong.length > 1 && others.size === 1 && typeof other === "string") {
                reportViolation(
                    `This policy config is for environment "${config.environment}", but the stack's ${wrong.length} tagged resources are all ` +
                    `Environment "${other}": run with the ${other} policy config (policy/config/${other}.json).`,
                );
                return;
            }
            for (const { r, value } of wrong) {
                reportViolation(
                    `'${r.name}' (${r.type}) has Environment tag ${value === undefined ? "missing" : JSON.stringify(value)}; ` +
                    `this policy config is for environment "${config.environment}".`,
                    r.urn,
                );
            }
        },
    });
}
