import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");

function versionParts(version: string): number[] {
    return version.split(".").map(Number);
}

describe("Node version", () => {
    const pinned = fs.readFileSync(path.join(PROJECT_DIR, ".node-version"), "utf8").trim();

    it("is one exact release in .node-version", () => {
        assert.match(pinned, /^\d+\.\d+\.\d+$/);
    });

    it("satisfies package.json's engines floor", () => {
        const engines: string = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).engines.node;
        const floor = /^>=(\d+(?:\.\d+){0,2})$/.exec(engines);
        assert.ok(floor, `engines.node ${engines} is not a ">=x.y" floor`);
        const [have, need] = [versionParts(pinned), versionParts(floor[1])];
        const cmp = need.map((n, i) => have[i] - n).find((d) => d !== 0) ?? 0;
        assert.ok(cmp >= 0, `.node-version ${pinned} is below engines ${engines}`);
    });

    it("is what every workflow's setup-node installs", () => {
        // A range (package.json's engines) would let setup-node take the newest matching release, a
        // different Node than the one the project is tested on.
        const setups = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml")).flatMap((file) => {
            const workflow: any = yaml.load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
            return Object.entries<any>(workflow.jobs).flatMap(([job, spec]) => (spec.steps ?? [])
                .filter((s: any) => String(s.uses).startsWith("actions/setup-node@"))
                .map((s: any) => ({ where: `${file} ${job}`, with: s.with })));
        });
        assert.ok(setups.length > 0);
        for (const setup of setups) {
            assert.deepEqual({ file: setup.with["node-version-file"], version: setup.with["node-version"] }, { file: ".node-version", version: undefined }, setup.where);
        }
    });
});
