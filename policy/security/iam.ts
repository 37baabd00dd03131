// IRSA trust policies: a role assumable through the cluster's OIDC provider must name exactly one
// service account and audience, or any pod in the cluster could assume it.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceCheck } from "../lib/policy";
import { at, isRecord, parseJsonDocument, UNKNOWN } from "../lib/values";

const asList = (v: unknown): unknown[] => (v === undefined ? [] : [v].flat());

/**
 * Issuer host/path of an EKS cluster's OIDC provider, e.g. oidc.eks.us-east-1.amazonaws.com/id/ABC.
 * Other web-identity providers (GitHub Actions, Terraform Cloud...) have their own claim rules.
 */
const EKS_ISSUER = /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[^/]+$/u;

/** Problems with the web-identity statements of a trust policy document (JSON string or object). */
export function irsaTrustProblems(document: unknown): string[] {
    const doc = parseJsonDocument(document);
    if (doc === UNKNOWN || doc === undefined) {
        return [];
    }
    const problems: string[] = [];
    for (const s of asList(doc["Statement"])) {
        if (!isRecord(s) || s["Effect"] !== "Allow") {
            continue;
        }
        const issuers = asList(at(s, "Principal", "Federated"))
            .filter((p): p is string => typeof p === "string" && p.includes(":oidc-provider/"))
            .map(p => p.slice(p.indexOf(":oidc-provider/") + ":oidc-provider/".length))
            .filter(issuer => EKS_ISSUER.test(issuer));
        for (const issuer of issuers) {
            const condition = at(s, "Condition");
            const equals = at(condition, "StringEquals");
            for (const key of ["sub", "aud"]) {
                const value = at(equals, `${issuer}:${key}`);
                if (value === undefined) {
                    problems.push(`condition StringEquals on ${issuer}:${key} is missing`);
                } else if (asList(value).some(v => typeof v === "string" && v.includes("*"))) {
                    problems.push(`${issuer}:${key} must not contain a wildcard (found ${JSON.stringify(value)})`);
                }
            }
            if (isRecord(condition)) {
                const loose = Object.keys(condition).filter(op => /Like$/u.test(op));
                if (loose.length > 0) {
                    problems.push(`condition operator(s) ${loose.join(", ")} are not allowed; use StringEquals`);
                }
            }
        }
    }
    return problems;
}

export function irsaTrustPolicy(): ResourceValidationPolicy {
    return resourceCheck({
        name: "irsa-trust-policy",
        description: "IAM roles trusted by an EKS OIDC provider pin the service account and audience with StringEquals on <issuer>:sub and <issuer>:aud, without wildcards.",
        enforcementLevel: "mandatory",
        types: ["aws:iam/role:Role"],
        check: (r, report) => {
            for (const p of irsaTrustProblems(at(r.props, "assumeRolePolicy"))) {
                report(`IAM role '${r.name}' trust policy: ${p}.`);
            }
        },
    });
}
