/** Shared fixtures: the real stack files, and a small query API over recorded resources. */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { strict as assert } from "assert";
import * as path from "path";
import { RecordedResource, runPlatformProgram, ProgramRun } from "../tools/mockProgram";
import { readStackFile, stackFilePath } from "../tools/stackFile";
import { ConfigError, parsePlatformConfig, PlatformConfig } from "../stacks/config";
import { mockAvailabilityZones } from "../tools/mockState";

export const PROJECT_DIR = path.resolve(__dirname, "..");

/** The config map of a shipped stack file, as the CLI would hand it over. */
export function stackConfig(stack: string): Record<string, string> {
    return readStackFile(stackFilePath(PROJECT_DIR, stack)).config;
}

/** A shipped stack's config with one structured key changed through `edit`. */
export function withConfig(stack: string, key: string, edit: (value: any) => void): Record<string, string> {
    const config = stackConfig(stack);
    const fullKey = key.includes(":") ? key : `iot-platform:${key}`;
    const raw = config[fullKey];
    const value = raw !== undefined && /^[[{]/.test(raw) ? JSON.parse(raw) : raw;
    const holder = { value };
    edit(holder);
    if (holder.value === undefined) {
        delete config[fullKey];
    } else {
        config[fullKey] = typeof holder.value === "object" ? JSON.stringify(holder.value) : String(holder.value);
    }
    return config;
}

const runs = new Map<string, Promise<ProgramRun>>();

/** Runs a shipped stack once per test process; the program is deterministic, so runs are shared. */
export function runStack(stack: string): Promise<ProgramRun> {
    let run = runs.get(stack);
    if (!run) {
        run = runPlatformProgram(stackConfig(stack), stack);
        runs.set(stack, run);
    }
    return run;
}

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

export function one(resources: readonly RecordedResource[], type: string, nameSuffix = ""): RecordedResource {
    const found = resources.filter((r) => r.type === type && r.name.endsWith(nameSuffix));
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named *${nameSuffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    }
    return found[0];
}

export function childrenOf(resources: readonly RecordedResource[], parent: RecordedResource): RecordedResource[] {
    return resources.filter((r) => r.parent === parent.urn);
}

/** Writes a config map as `Pulumi.<stack>.yaml` in `dir`, the way a person would have written it. */
export function writeStackFile(dir: string, stack: string, config: Record<string, string>): string {
    const doc = {
        config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v])),
    };
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, yaml.dump(doc));
    return file;
}

/**
 * The config loader on `config` as the program runs it: `secretKeys` set with `--secret`, the zones
 * of aws:region as the mocked data source reports them.
 */
export function parseConfig(config: Record<string, string>, secretKeys: readonly string[] = [], today: Date = CONFIG_DAY): PlatformConfig {
    return parsePlatformConfig(config, {
        isSecret: (key) => secretKeys.includes(key),
        zones: mockAvailabilityZones(config["aws:region"] ?? "us-east-1"),
        today,
    });
}

/** The day the config loader judges the Kubernetes version on in tests: 1.35 is in standard support, far from its end. */
export const CONFIG_DAY = new Date("2026-12-02T12:00:00Z");

/** The config loader's problems for `config`, failing the test if the config is accepted. */
export function problemsOf(config: Record<string, string>, secretKeys: readonly string[] = []): string[] {
    try {
        parseConfig(config, secretKeys);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
        return [...err.problems];
    }
    assert.fail("the config was accepted");
}

/** An account id that is not AWS's documentation one, for stack files "as a user filled them in". */
export const FILLED_ACCOUNT = "210987654321";

/**
 * A shipped stack's config with every placeholder replaced the way its comments ask: real-looking
 * certificate ids, the team's account, an office range and the team's runbook repository.
 */
export function filledConfig(stack: string): Record<string, string> {
    const config = Object.fromEntries(Object.entries(stackConfig(stack)).map(([key, value]) => [key, value
        .replaceAll("123456789012", FILLED_ACCOUNT)
        .replaceAll("00000000-0000-0000-0000-00000000000", "7c9e6679-7425-40de-944b-e07fc1f90ae")
        .replaceAll("203.0.113.0/24", "100.24.8.0/24")]));
    const monitoring = JSON.parse(config["iot-platform:monitoring"] ?? "{}");
    config["iot-platform:monitoring"] = JSON.stringify({ ...monitoring, runbookBaseUrl: "https://github.com/acme/iot-platform/blob/main/docs/runbooks/" });
    return config;
}
