/** The README is the front door and docs/ the reference: links between them resolve, and the README's recipes work. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { parseConfig, PROJECT_DIR, stackConfig } from "../util";

const README = path.join(PROJECT_DIR, "README.md");
const DOCS = path.join(PROJECT_DIR, "docs");

function markdownFiles(): string[] {
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []);
    return [README, ...walk(DOCS)];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    let fenced = false;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) {
            fenced = !fenced;
        }
        const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line);
        if (!heading) {
            continue;
        }
        const base = heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, "").replace(/ /g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

/** Relative links `[text](target)` outside code blocks and code spans; templates' `<placeholders>` are not links yet. */
function relativeLinks(markdown: string): string[] {
    const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t) && !t.includes("<"));
}

describe("documentation", () => {
    it("numbers repeated headings the way GitHub does", () => {
        assert.deepEqual([...headingAnchors("# A `b` (c)\n## A b c\n```\n# not a heading\n```\n## 5. `x` and y")], ["a-b-c", "a-b-c-1", "5-x-and-y"]);
    });

    it("keeps the README a front door", () => {
        const text = fs.readFileSync(README, "utf8");
        assert.ok(text.length <= 12_000, `README.md is ${text.length} characters; move reference material into docs/`);
        for (const section of ["Quick start", "First deploy", "Recipes", "Reference"]) {
            assert.ok(headingAnchors(text).has(section.toLowerCase().replace(/ /g, "-")), `README.md lost its "${section}" section`);
        }
    });

    it("has no relative link to a missing file or heading", () => {
        const broken: string[] = [];
        for (const file of markdownFiles()) {
            for (const link of relativeLinks(fs.readFileSync(file, "utf8"))) {
                const [target, anchor] = link.split("#");
                const resolved = target === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
                if (!fs.existsSync(resolved)) {
                    broken.push(`${path.relative(PROJECT_DIR, file)}: ${link} (no such file)`);
                } else if (anchor !== undefined && resolved.endsWith(".md") && !headingAnchors(fs.readFileSync(resolved, "utf8")).has(anchor)) {
                    broken.push(`${path.relative(PROJECT_DIR, file)}: ${link} (no such heading)`);
                }
            }
        }
        assert.deepEqual(broken, []);
    });

    for (const stack of ["prod", "staging"]) {
        it(`accepts the README's "Add an app" entry in the ${stack} stack file as it stands`, () => {
            const text = fs.readFileSync(README, "utf8");
            const recipe = text.slice(text.indexOf("### Add an app"));
            const block = /```yaml\n([\s\S]*?)\n```/.exec(recipe)?.[1];
            assert.ok(block, "the recipe lost its YAML example");
            const [entry] = yaml.load(block) as Array<{ name: string }>;
            const config = stackConfig(stack);
            const apps = JSON.parse(config["iot-platform:apps"]);
            config["iot-platform:apps"] = JSON.stringify([...apps, entry]);
            assert.deepEqual(parseConfig(config).apps.map((app) => app.name), [...apps.map((app: { name: string }) => app.name), entry.name]);
        });
    }
});
