/**
 * Renders what the Monitoring component ships, per shipped stack file, for promtool and amtool:
 *   <out>/<stack>/rules.yaml              the platform's PrometheusRule spec (a Prometheus rules file)
 *   <out>/<stack>/dashboard-queries.yaml  every dashboard query as a recording rule, so promtool parses it
 *   <out>/<stack>/alertmanager.yaml       the Alertmanager config with every receiver present (placeholder credentials)
 * Uses the same pure builders and the same config loader as the program; no Pulumi engine involved.
 *
 * Usage: ts-node scripts/render-monitoring.ts <out-dir> [stack...]   (default: every Pulumi.<stack>.yaml)
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { canaryWatch } from "../components/canary/manifests";
import { alertmanagerConfig } from "../components/monitoring/alertmanagerConfig";
import { dashboardQueries, platformDashboards } from "../components/monitoring/dashboards";
import { platformRules, RulesFile } from "../components/monitoring/rules";
import { parsePlatformConfig } from "../stacks/config";
import { readStackFile, stackFilePath } from "../tools/stackFile";

const PROJECT_DIR = path.resolve(__dirname, "..");

/** Stacks with a Pulumi.<stack>.yaml in the project directory. */
export function shippedStacks(projectDir = PROJECT_DIR): string[] {
    return fs.readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export interface RenderedMonitoring {
    readonly rules: RulesFile;
    readonly dashboardQueries: RulesFile;
    readonly alertmanager: Record<string, unknown>;
}

export function renderStack(stack: string, projectDir = PROJECT_DIR): RenderedMonitoring {
    const file = readStackFile(stackFilePath(projectDir, stack));
    // Rendering needs no account: the zones are checked by shape only, the check (npm run check) does the rest.
    const config = parsePlatformConfig(file.config, { isSecret: (key) => file.secretKeys.includes(key), zones: undefined, today: new Date() });
    const options = {
        appNamespaces: config.apps.map((app) => app.namespace),
        nodeGroupMaxSize: config.cluster.nodes.max,
        runbookBaseUrl: config.monitoring.runbookBaseUrl,
        canary: canaryWatch(config.monitoring.canary),
        probes: true,
    };
    const queries = platformDashboards(options).flatMap((d) => dashboardQueries(d, options.appNamespaces[0]));
    return {
        rules: platformRules(options),
        dashboardQueries: {
            groups: [{
                name: "dashboard-queries",
                // promtool only parses these; the record names are never used.
                rules: queries.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) as unknown as RulesFile["groups"][number]["rules"],
            }],
        },
        // Both integrations on, so amtool checks every receiver the program can produce.
        alertmanager: alertmanagerConfig({ secretName: "alertmanager-receivers", slack: true, pagerduty: true }),
    };
}

export function writeRendered(outDir: string, stack: string, rendered: RenderedMonitoring): string[] {
    const dir = path.join(outDir, stack);
    fs.mkdirSync(dir, { recursive: true });
    const files: [string, unknown][] = [
        ["rules.yaml", rendered.rules],
        ["dashboard-queries.yaml", rendered.dashboardQueries],
        ["alertmanager.yaml", rendered.alertmanager],
    ];
    return files.map(([name, doc]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, yaml.dump(doc, { lineWidth: -1, noRefs: true }));
        return file;
    });
}

if (require.main === module) {
    const [outDir, ...stacks] = process.argv.slice(2);
    if (!outDir) {
        console.error("usage: render-monitoring.ts <out-dir> [stack...]");
        process.exit(2);
    }
    for (const stack of stacks.length > 0 ? stacks : shippedStacks()) {
        for (const file of writeRendered(outDir, stack, renderStack(stack))) {
            console.log(file);
        }
    }
}
