// Starts a TypeScript policy pack with the Pulumi SDK's own runner (the program the CLI runs for a
// Node.js pack), after switching ts-node to transpile-only: type checking is `npm run typecheck`'s
// job, and it would triple the start-up time of every offline check.
// Usage: node runPack.js <engine-address> <pack-dir>
"use strict";
const tsnode = require("ts-node");
const register = tsnode.register;
tsnode.register = (options) => register({ ...options, typeCheck: false, transpileOnly: true, swc: true });

const [engineAddress, packDir] = process.argv.slice(2);
process.argv = [process.argv[0], require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), engineAddress, "--pwd", packDir, "."];
require("@pulumi/pulumi/cmd/run-policy-pack");
