/**
 * Where a limit a violation names is set, appended to the message as "(limit: <source> → <key>)".
 * The pack receives its config's contents, never the file name (`pulumi preview --policy-pack-config
 * <file>` sends only the values), so a config limit names "policy config"; the offline check, which
 * knows the file it read, puts the file in its place (tools/check/report.ts).
 */

/** The source a config limit names until a reader that knows the file replaces it. */
export const POLICY_CONFIG_SOURCE = "policy config";

/** "(limit: policy config → node-capacity.maxTotalNodes)" */
export function configLimit(policy: string, key: string): string {
    return `(limit: ${POLICY_CONFIG_SOURCE} → ${policy}.${key})`;
}

/** A limit fixed in code: "(limit: policy/instances.ts → INSTANCE_CATALOGUE max pods per node)". */
export function codeLimit(file: string, what: string): string {
    return `(limit: ${file} → ${what})`;
}
