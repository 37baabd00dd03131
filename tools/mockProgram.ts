/**
 * Runs the platform program under Pulumi mocks and records every resource it registers, with its
 * parent, so tests and the offline check see the same resource graph a preview would.
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, deserializeProperty } from "@pulumi/pulumi/runtime/rpc";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { createPlatform, Platform, platformOutputs } from "../stacks/platform";
import { loadPlatformConfig, PlatformConfig, PROJECT } from "../stacks/config";
import { mockInvoke, mockResourceState } from "./mockState";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** URN of the parent resource, or undefined at the top of the tree. */
    readonly parent: string | undefined;
    /** Inputs as the engine received them (Outputs resolved). */
    readonly inputs: Record<string, any>;
    /** State after the (mock) create: inputs plus provider outputs such as `id` and `arn`. */
    outputs: Record<string, any>;
    /** False for component resources. */
    readonly custom: boolean;
    /** URNs the engine is told to create first (a component in dependsOn expands to its children). */
    readonly dependencies: readonly string[];
    /** Outputs the engine is told to store as secrets although the provider does not mark them. */
    readonly additionalSecretOutputs: readonly string[];
}

export interface ProgramRun {
    readonly config: PlatformConfig;
    readonly platform: Platform;
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, unknown>;
}

/**
 * Validates `config` as the stack program does, runs it under mocks and waits for every
 * registration. Throws the program's ConfigError before any resource exists on bad input.
 */
export async function runPlatformProgram(config: Record<string, string>, stack = "test", secretKeys: string[] = []): Promise<ProgramRun> {
    let platformConfig: PlatformConfig | undefined;
    let platform: Platform | undefined;
    let outputs: Promise<Record<string, unknown>> | undefined;
    const resources = await recordProgram(async () => {
        pulumi.runtime.setAllConfig(config, secretKeys);
        // The program's own loader, with the secret keys as the CLI marks them and the zones from the mocked data source.
        platformConfig = await loadPlatformConfig(pulumi.runtime.allConfig());
        platform = createPlatform(platformConfig);
        outputs = resolve(platformOutputs(platform));
    }, { stack, region: config["aws:region"] });
    return { config: platformConfig!, platform: platform!, resources, outputs: await outputs! };
}

/**
 * Runs `build` (which creates resources) under mocks with realistic outputs, and returns every
 * registration once all of them are done: the harness behind stack runs and component tests.
 */
export async function recordProgram(build: () => unknown, options: { stack?: string; region?: string } = {}): Promise<RecordedResource[]> {
    const resources: RecordedResource[] = [];
    await pulumi.runtime.setMocks(platformMocks(options.region ?? "us-east-1"), PROJECT, options.stack ?? "test", true);
    recordRegistrations(resources);
    await build();
    await waitForRegistrations();
    const states = (settings.getMonitor() as unknown as MockMonitor).resources;
    for (const resource of resources) {
        resource.outputs = stateOf(states.get(resource.urn)?.state);
    }
    return resources;
}

/** Mocks with realistic resource outputs and data-source results (the region's zones) for `region`. */
export function platformMocks(region: string): pulumi.runtime.Mocks {
    return {
        newResource: (args) => mockResourceState(args.type, args.name, args.inputs, region),
        call: (args) => mockInvoke(args.token, args.inputs, region),
    };
}

/**
 * The mock monitor keeps a custom resource's state as serialized properties, and a component's as
 * the Struct its `registerOutputs` sent.
 */
function stateOf(state: any): Record<string, any> {
    if (!state) {
        return {};
    }
    const plain = typeof state.toJavaScript === "function" ? state.toJavaScript() : state;
    return Object.fromEntries(Object.entries(plain as Record<string, unknown>).map(([k, v]) => [k, deserializeProperty(v)]));
}

/**
 * Resources created inside `apply` register after the outputs above resolve; the SDK's RPC queue
 * drains only when the last registration is done. `waitForRPCs` is internal to @pulumi/pulumi
 * (pinned in package.json) and is what `pulumi.runtime.disconnect` waits on.
 */
export function waitForRegistrations(): Promise<void> {
    return (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

function recordRegistrations(into: RecordedResource[]): void {
    const monitor = settings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, response: any) => void) => {
        const parent = req.getParent() || undefined;
        const type: string = req.getType();
        const name: string = req.getName();
        into.push({
            type,
            name,
            urn: monitor.newUrn(parent, type, name),
            parent,
            inputs: deserializeProperties(req.getObject()),
            outputs: {},
            custom: req.getCustom(),
            dependencies: req.getDependenciesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        return register(req, callback);
    };
}

async function resolve(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) => [key, await valueOf(value)] as const));
    return Object.fromEntries(entries);
}

/** The value behind an Output (or the value itself), secrets unwrapped. */
export function valueOf<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((resolvePromise) => pulumi.output(value).apply((v) => {
        resolvePromise(v as T);
        return v;
    }));
}
