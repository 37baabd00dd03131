// Loads TypeScript for mocha and the scripts through ts-node with the swc transpiler: type checking
// is `npm run typecheck`'s job, and swc transpiles the sources ~10x faster than TypeScript's own
// transpile-only mode, which is most of a short run's start-up.
"use strict";
require("ts-node").register({ swc: true });
