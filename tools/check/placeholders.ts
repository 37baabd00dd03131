/**
 * The deploy preflight's findings as check entries: advisory, since the shipped stack files keep
 * their placeholders on purpose, but listed with their keys so nobody learns of them from a failed
 * `pulumi up` (which refuses to start while any is left).
 */
import { PlatformConfig } from "../../stacks/config";
import { describePlaceholder, stackPlaceholders } from "../../stacks/config/placeholders";
import { CheckViolation } from "./report";

export const PLACEHOLDER_CHECK = "deploy-preflight-placeholder";

export function placeholderWarnings(config: PlatformConfig): CheckViolation[] {
    return stackPlaceholders(config).map((p) => ({
        policy: PLACEHOLDER_CHECK,
        enforcementLevel: "advisory",
        message: `${describePlaceholder(p)}; \`pulumi up\` refuses to start until it is replaced`,
    }));
}
