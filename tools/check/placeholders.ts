/**
 * The deploy preflight's findings as config warnings of the check: the shipped stack files keep
 * their placeholders on purpose, but each is listed with its key so nobody learns of it from a failed
 * `pulumi up` (which refuses to start while any is left).
 */
import { PlatformConfig } from "../../stacks/config";
import { describePlaceholder, stackPlaceholders } from "../../stacks/config/placeholders";

export function placeholderWarnings(config: PlatformConfig): string[] {
    return stackPlaceholders(config).map((p) => `${describePlaceholder(p)}; \`pulumi up\` refuses to start until it is replaced`);
}
