/** IAM Roles for Service Accounts: the trust policy, as a plain function. */

/** EKS OIDC tokens carry this audience when the pod identity webhook projects them. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Trust policy that lets exactly one service account in one namespace assume the role.
 * `StringEquals` on both `:sub` and `:aud`: a `StringLike` with a wildcard would hand the role to
 * every service account that matches, including ones created later by someone else.
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, namespace: string, serviceAccount: string): object {
    for (const [what, value] of [["namespace", namespace], ["serviceAccount", serviceAccount]] as const) {
        if (!NAME_PATTERN.test(value) || value.length > 63) {
            throw new Error(`IRSA ${what} must be a Kubernetes DNS label (lowercase letters, digits, dashes), got "${value}"`);
        }
    }
    const issuer = oidcIssuer.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                    [`${issuer}:aud`]: IRSA_AUDIENCE,
                },
            },
        }],
    };
}

/** IAM appends 26 characters to a role's name prefix, and a role name holds at most 64. */
export const ROLE_NAME_PREFIX_MAX = 38;

/**
 * A readable physical-name prefix for an IRSA role (cluster and service account; the namespace is
 * in a tag), cut to what IAM accepts: an auto-generated name from a long component path would
 * exceed 64 characters.
 */
export function irsaRoleNamePrefix(clusterName: string, serviceAccount: string): string {
    const full = `${clusterName}-${serviceAccount}`;
    return `${full.slice(0, ROLE_NAME_PREFIX_MAX - 1).replace(/-+$/, "")}-`;
}
