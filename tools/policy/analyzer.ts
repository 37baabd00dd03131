/**
 * A client for a policy pack running in its own process, speaking the analyzer gRPC protocol the
 * Pulumi CLI speaks (definitions from @pulumi/pulumi/proto): get the pack's info, configure it,
 * analyze each resource, then the whole stack.
 */
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import * as path from "path";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

const LEVELS: Record<number, EnforcementLevel> = {
    [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
    [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
};

const LEVEL_CODES: Record<EnforcementLevel, analyzerProto.EnforcementLevel> = {
    advisory: analyzerProto.EnforcementLevel.ADVISORY,
    mandatory: analyzerProto.EnforcementLevel.MANDATORY,
    disabled: analyzerProto.EnforcementLevel.DISABLED,
    remediate: analyzerProto.EnforcementLevel.REMEDIATE,
};

export interface PolicyInfo {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly configSchema?: { properties: Record<string, any>; required: string[] };
}

export interface PackInfo {
    readonly name: string;
    readonly version: string;
    readonly policies: PolicyInfo[];
}

export interface PolicyConfigEntry {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

export interface AnalyzedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent?: string;
    /** Plain JSON-compatible properties (see `toStructValue`). */
    readonly properties: Record<string, unknown>;
}

export interface Violation {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
    readonly description: string;
    /** URN of the resource, empty for a stack-level finding without one. */
    readonly urn: string;
}

/** The pack process and a connected client; always `close()` it, also on error. */
export class PolicyPackProcess {
    private constructor(private readonly child: ChildProcess, private readonly client: analyzerRpc.AnalyzerClient) {}

    /** Starts the pack in `packDir` and connects once it prints its port. */
    public static async start(packDir: string, timeoutMs = 30000): Promise<PolicyPackProcess> {
        const child = spawn(process.execPath, [path.join(__dirname, "runPack.js"), "127.0.0.1:0", path.resolve(packDir)], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        stopWithParent(child);
        try {
            const port = await readPort(child, timeoutMs);
            const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
                "grpc.max_receive_message_length": 400 * 1024 * 1024,
                "grpc.max_send_message_length": 400 * 1024 * 1024,
            });
            return new PolicyPackProcess(child, client);
        } catch (err) {
            child.kill("SIGKILL");
            throw err;
        }
    }

    public get pid(): number | undefined {
        return this.child.pid;
    }

    public async info(): Promise<PackInfo> {
        const info = await this.call<analyzerProto.AnalyzerInfo>((cb) => this.client.getAnalyzerInfo(new emptyProto.Empty(), cb));
        return {
            name: info.getName(),
            version: info.getVersion(),
            policies: info.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    description: p.getDescription(),
                    enforcementLevel: LEVELS[p.getEnforcementlevel()],
                    configSchema: schema ? { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, any>, required: schema.getRequiredList() } : undefined,
                };
            }),
        };
    }

    public async configure(config: Readonly<Record<string, PolicyConfigEntry>>): Promise<void> {
        const request = new analyzerProto.ConfigureAnalyzerRequest();
        for (const [policy, entry] of Object.entries(config)) {
            const policyConfig = new analyzerProto.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVEL_CODES[entry.enforcementLevel]);
            policyConfig.setProperties(structProto.Struct.fromJavaScript(toStructValue(entry.properties) as Record<string, any>));
            request.getPolicyconfigMap().set(policy, policyConfig);
        }
        await this.call((cb) => this.client.configure(request, cb));
    }

    public async analyze(resource: AnalyzedResource): Promise<Violation[]> {
        const request = new analyzerProto.AnalyzeRequest();
        describeResource(request, resource);
        const response = await this.call<analyzerProto.AnalyzeResponse>((cb) => this.client.analyze(request, cb));
        return violationsOf(response);
    }

    public async analyzeStack(resources: readonly AnalyzedResource[]): Promise<Violation[]> {
        const request = new analyzerProto.AnalyzeStackRequest();
        request.setResourcesList(resources.map((r) => {
            const resource = new analyzerProto.AnalyzerResource();
            describeResource(resource, r);
            if (r.parent) {
                resource.setParent(r.parent);
            }
            return resource;
        }));
        const response = await this.call<analyzerProto.AnalyzeResponse>((cb) => this.client.analyzeStack(request, cb));
        return violationsOf(response);
    }

    public close(): void {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGKILL");
        }
    }

    private call<T>(invoke: (callback: (err: grpc.ServiceError | null, response: T) => void) => unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            invoke((err, response) => (err ? reject(new Error(`policy pack: ${err.details || err.message}`)) : resolve(response)));
        });
    }
}

/** The fields `AnalyzeRequest` and `AnalyzerResource` share. */
function describeResource(message: analyzerProto.AnalyzeRequest | analyzerProto.AnalyzerResource, resource: AnalyzedResource): void {
    message.setType(resource.type);
    message.setName(resource.name);
    message.setUrn(resource.urn);
    message.setProperties(structProto.Struct.fromJavaScript(toStructValue(resource.properties) as Record<string, any>));
    const options = new analyzerProto.AnalyzerResourceOptions();
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    message.setOptions(options);
}

function violationsOf(response: analyzerProto.AnalyzeResponse): Violation[] {
    return response.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        message: d.getMessage(),
        description: d.getDescription(),
        urn: d.getUrn(),
    }));
}

/**
 * Values a Struct can carry: undefined members dropped (the engine never sends them), non-finite
 * numbers and functions refused loudly rather than silently changed.
 */
export function toStructValue(value: unknown): unknown {
    if (value === undefined || value === null || typeof value === "string" || typeof value === "boolean") {
        return value ?? null;
    }
    if (typeof value === "number") {
        if (!Number.isFinite(value)) {
            throw new Error(`cannot send ${value} to the policy pack`);
        }
        return value;
    }
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : toStructValue(v)));
    }
    if (typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            if (v !== undefined) {
                out[k] = toStructValue(v);
            }
        }
        return out;
    }
    throw new Error(`cannot send a ${typeof value} to the policy pack`);
}

function readPort(child: ChildProcess, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => finish(new Error(`policy pack did not report its port within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
        const finish = (err?: Error, port?: number) => {
            clearTimeout(timer);
            child.stdout?.removeAllListeners("data");
            child.removeAllListeners("exit");
            if (err) {
                reject(err);
            } else {
                resolve(port!);
            }
        };
        child.stdout?.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const line = stdout.split("\n")[0];
            if (stdout.includes("\n") && /^\d+$/.test(line.trim())) {
                finish(undefined, Number(line.trim()));
            }
        });
        child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("exit", (code) => finish(new Error(`policy pack exited (code ${code}) before it reported a port:\n${stderr}${stdout}`)));
    });
}

/** The pack never outlives the process that started it, whatever way that process ends. */
function stopWithParent(child: ChildProcess): void {
    const stop = () => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGKILL");
        }
    };
    process.once("exit", stop);
    child.once("exit", () => process.removeListener("exit", stop));
}
