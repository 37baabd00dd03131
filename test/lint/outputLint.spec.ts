import { strict as assert } from "assert";
import { ESLint } from "eslint";
import * as fs from "fs";
import * as path from "path";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join(__dirname, "fixtures", "outputInTemplate.ts");

describe("lint: Pulumi Output misuse", () => {
    it("reports an Output or Input interpolated into a plain template literal, with the project's own ESLint config", async function () {
        // A type-aware lint builds a TypeScript program over @pulumi/pulumi's declarations: seconds, not milliseconds.
        this.timeout(60_000);
        // The fixture is ignored by `npm run lint` (it is wrong on purpose); `ignore: false` lints it here.
        const eslint = new ESLint({ cwd: PROJECT_DIR, ignore: false });
        const [result] = await eslint.lintFiles([FIXTURE]);
        const expected = fs.readFileSync(FIXTURE, "utf8").split("\n")
            .flatMap((line, i) => (/\/\/ flagged by (.+)$/.exec(line)?.[1].split(", ") ?? []).map((rule) => `${i + 1} ${rule}`));
        assert.equal(expected.length, 5);
        assert.deepEqual(result.messages.map((m) => `${m.line} ${m.ruleId}`).sort(), expected.sort());
    });
});
