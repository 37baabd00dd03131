// Loads TypeScript for mocha and the scripts: each .ts file is transpiled by swc, no type checking
// (that is `npm run typecheck`'s job). Not ts-node: it installs source-map-support, which makes
// every `new Error().stack` expensive, and the Pulumi SDK takes one for each of its thousands of
// promises; a mock run of a stack costs three times as much under it.
"use strict";
const fs = require("fs");
const swc = require("@swc/core");

const options = {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
    sourceMaps: "inline",
};

require.extensions[".ts"] = function compileTypeScript(module, filename) {
    const { code } = swc.transformSync(fs.readFileSync(filename, "utf8"), { ...options, filename });
    module._compile(code, filename);
};

