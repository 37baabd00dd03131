/** Reads a `Pulumi.<stack>.yaml` into the flat config map the Pulumi CLI hands a program. */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export interface StackFileConfig {
    /** `namespace:key` to value; structured values as JSON text, scalars as strings (as PULUMI_CONFIG carries them). */
    readonly config: Record<string, string>;
    /** Keys whose value is `secure:` ciphertext; offline they carry a placeholder. */
    readonly secretKeys: string[];
}

/** Offline stand-in for a value that only the stack's secrets provider can decrypt. */
export const SECRET_PLACEHOLDER = "offline-placeholder-secret";

export function stackFilePath(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

export function readStackFile(file: string): StackFileConfig {
    const text = fs.readFileSync(file, "utf8");
    const doc = (yaml.load(text) ?? {}) as { config?: Record<string, unknown> };
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
        throw new Error(`${file}: expected a mapping with a top-level "config" key`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (!key.includes(":")) {
            throw new Error(`${file}: config key "${key}" has no namespace; write it as <project>:${key}`);
        }
        if (isSecure(value)) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else if (typeof value === "object" && value !== null) {
            // A `secure:` value nested in an object (`pulumi config set --path --secret`) makes the whole key secret.
            const nested = { secure: false };
            config[key] = JSON.stringify(withPlaceholders(value, nested));
            if (nested.secure) {
                secretKeys.push(key);
            }
        } else {
            config[key] = String(value);
        }
    }
    return { config, secretKeys };
}

function withPlaceholders(value: unknown, found: { secure: boolean }): unknown {
    if (isSecure(value)) {
        found.secure = true;
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) {
        return value.map((item) => withPlaceholders(item, found));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, found)]));
    }
    return value;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}
