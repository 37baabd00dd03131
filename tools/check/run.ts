/**
 * The offline plan and policy check: run a stack's program under mocks, hand every resource to the
 * policy pack running in its own process, and price the stack with the pack's own cost model.
 */
import * as fs from "fs";
import * as path from "path";
import { resolveApp } from "../../components/apps/app";
import { compareWithBaseline } from "../../policy/baseline";
import { estimateMonthlyCost } from "../../policy/cost";
import { PRICE_TABLE } from "../../policy/pricing";
import { ConfigError } from "../../stacks/config";
import { runPlatformProgram } from "../mockProgram";
import { AnalyzedResource, PolicyPackProcess } from "../policy/analyzer";
import { readStackFile, stackFilePath } from "../stackFile";
import { toAnalyzerViews } from "./collect";
import { systemDiagram } from "./diagram";
import { inventory } from "./inventory";
import { CheckSetupError } from "./errors";
import { PolicyConfigError, readPolicyConfigFile, reconcilePolicyConfig, validatePolicyConfigBeforeRun } from "./packConfig";
import { placeholderWarnings } from "./placeholders";
import { CheckResult, CheckViolation } from "./report";

export const PROJECT_DIR = path.resolve(__dirname, "../..");
export const PACK_DIR = path.join(PROJECT_DIR, "policy");

export interface CheckOptions {
    readonly stack: string;
    /** @default policy/config/<environment>.json */
    readonly policyConfig?: string;
    readonly projectDir?: string;
    /** Called at the start of each long step. */
    readonly progress?: (step: string) => void;
}

export { CheckSetupError };

/**
 * Runs the check. Starts the pack unless one is given (started earlier, or shared by tests), and
 * stops what it started, whatever happens.
 */
export async function runCheck(options: CheckOptions, sharedPack?: PolicyPackProcess | Promise<PolicyPackProcess>): Promise<CheckResult> {
    const progress = options.progress ?? (() => undefined);
    const projectDir = options.projectDir ?? PROJECT_DIR;
    progress("starting the policy pack");
    const packStarting = sharedPack ? Promise.resolve(sharedPack) : PolicyPackProcess.start(PACK_DIR);
    // If the program fails before the pack is awaited, its start-up error must not surface as an
    // unhandled rejection; `finally` below still stops the process.
    packStarting.catch(() => undefined);
    try {
        progress(`running the ${options.stack} program under mocks`);
        const stackFile = stackFilePath(projectDir, options.stack);
        if (!fs.existsSync(stackFile)) {
            throw new CheckSetupError(`no stack file ${stackFile}`);
        }
        let stackConfig;
        try {
            stackConfig = readStackFile(stackFile);
        } catch (err) {
            throw new CheckSetupError(`cannot read ${stackFile}: ${err instanceof Error ? err.message : String(err)}`);
        }
        validatePolicyConfigBeforeRun(stackConfig.config, options.policyConfig, PACK_DIR);
        let run;
        try {
            run = await runPlatformProgram(stackConfig.config, options.stack, stackConfig.secretKeys);
        } catch (err) {
            if (err instanceof ConfigError) {
                throw new CheckSetupError(err.message);
            }
            throw new CheckSetupError(`the ${options.stack} program failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        }
        const environment = run.config.environment;
        const policyConfigFile = options.policyConfig ?? path.join(PACK_DIR, "config", `${environment}.json`);
        if (!fs.existsSync(policyConfigFile)) {
            throw new CheckSetupError(`no policy config ${policyConfigFile} for environment "${environment}"; add one or pass --policy-config`);
        }
        const given = readPolicyConfigFile(policyConfigFile);
        const views = await toAnalyzerViews(run.resources);
        const resources = views.states;

        const pack = await packStarting;
        const info = await pack.info();
        const policyConfig = reconcilePolicyConfig(policyConfigFile, info, given);
        progress(`analyzing ${resources.length} resources with ${info.name} ${info.version}`);
        await pack.configure(policyConfig);
        const perResource = await Promise.all(views.inputs.map((r) => pack.analyze(r)));
        const stackLevel = await pack.analyzeStack(views.states);

        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const violations: CheckViolation[] = [...perResource.flat(), ...stackLevel].map((d) => {
            const resource = byUrn.get(d.urn);
            return {
                policy: d.policyName,
                enforcementLevel: d.enforcementLevel,
                resource: resource ? { type: resource.type, name: resource.name, urn: resource.urn } : undefined,
                // The SDK prefixes each message with the policy's description; the report names the policy instead.
                message: d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message,
            };
        });

        const budget = policyConfig["monthly-budget"]?.properties as { region?: string; monthlyBudgetUsd?: number } | undefined;
        const region = budget?.region ?? run.config.region;
        // Today, as the pack's budget policy prices it: the cluster version's EKS support phase depends on the day.
        const estimate = estimateMonthlyCost(toStackResources(resources), PRICE_TABLE, region, new Date());
        return {
            stack: options.stack,
            environment,
            policyConfig: shownPath(projectDir, policyConfigFile),
            policyPack: { name: info.name, version: info.version },
            resources: resources.map(({ type, name, urn, parent }) => ({ type, name, urn, parent })),
            inventory: inventory(resources),
            cost: {
                region,
                budgetUsd: budget?.monthlyBudgetUsd ?? NaN,
                estimate,
                baseline: run.config.costBaseline && compareWithBaseline(estimate, run.config.costBaseline, PRICE_TABLE, region),
            },
            configWarnings: [...run.config.warnings, ...placeholderWarnings(run.config)],
            violations,
            diagram: systemDiagram(resources, run.config.apps.map((app) => resolveApp(app, run.config.network.cidr))),
        };
    } catch (err) {
        if (err instanceof PolicyConfigError) {
            throw new CheckSetupError(err.message);
        }
        throw err;
    } finally {
        if (!sharedPack) {
            (await packStarting.catch(() => undefined))?.close();
        }
    }
}

function toStackResources(resources: readonly AnalyzedResource[]) {
    return resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, parent: r.parent, props: r.properties as Record<string, any> }));
}

/** A file as reports name it: relative to the project directory when inside it, else absolute (no `../../`). */
export function shownPath(projectDir: string, file: string): string {
    const relative = path.relative(projectDir, file);
    return relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? file : relative;
}
