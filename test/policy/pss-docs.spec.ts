import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PSS_CONTROLS } from "../../policy/podSecurity";

const DOC = path.resolve(__dirname, "../../docs/policy-pss.md");

describe("docs/policy-pss.md", () => {
    const rows = fs.readFileSync(DOC, "utf8").split("\n").filter((line) => /^\| [^-|]/.test(line)).slice(1)
        .map((line) => line.split("|").map((cell) => cell.trim()));

    it("maps every upstream control to a check the pack has, and every check appears", () => {
        const ids = new Set(PSS_CONTROLS.map((c) => c.id));
        const documented = rows.map((cells) => /`([a-z-]+)`/.exec(cells[5])?.[1]);
        for (const id of documented) {
            assert.ok(id !== undefined && ids.has(id), `the table names a check the pack does not have: ${id}`);
        }
        assert.deepStrictEqual([...new Set(documented)].sort(), [...ids].sort());
    });

    it("gives each check the level the pack gives it", () => {
        for (const control of PSS_CONTROLS) {
            const row = rows.find((cells) => cells[5] === `\`${control.id}\``);
            assert.ok(row, `no row whose check is exactly ${control.id}`);
            assert.strictEqual(row[2], control.level, control.id);
        }
    });
});
