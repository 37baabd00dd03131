#!/usr/bin/env node
// `npx iot-check`: the offline check without npm's script banner, so `--json` writes JSON only.
// TypeScript is loaded the way `npm run check` loads it (tools/register.js).
"use strict";
require("../tools/register.js");
require("./check.ts");
