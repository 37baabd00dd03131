/**
 * The offline check run the way people and the pull-request workflow run it, as a child process:
 * exit codes, what reaches stdout and stderr, and `--baseline-ref` against a real git history.
 * Its own suite (`npm run test:e2e`): each full check is a few seconds of two cores.
 */
import { strict as assert } from "assert";
import Ajv2020 from "ajv/dist/2020";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { withConfig, writeStackFile } from "../util";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "docs", "check-report.schema.json"), "utf8")));
const schemaProblems = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** The package's bin, as `npx iot-check` starts it. */
function iotCheck(args: string[], cwd = PROJECT_DIR, env: Record<string, string> = {}): Run {
    const r = spawnSync(process.execPath, [path.join(cwd, "scripts", "iot-check.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Processes that inherited `marker` in their environment: the command and anything it started. */
function processesMarked(marker: string): string[] {
    return fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
        try {
            return fs.readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker);
        } catch {
            return false;
        }
    });
}

function git(cwd: string, ...args: string[]): string {
    const r = spawnSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" });
    assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
}

describe("offline check as a command", function () {
    this.timeout(120_000);

    it("--help: exit 0, the usage on stdout, nothing on stderr", () => {
        const r = iotCheck(["--help"]);
        assert.equal(r.status, 0);
        assert.match(r.stdout, /^usage: iot-check --stack <name>/);
        assert.equal(r.stderr, "");
    });

    it("an unknown stack: exit 2, the stacks that exist on stderr, stdout empty", () => {
        const r = iotCheck(["--stack", "prd", "--json"]);
        assert.equal(r.status, 2);
        assert.equal(r.stdout, "");
        assert.equal(r.stderr, `unknown stack "prd" (did you mean "prod"?): no Pulumi.prd.yaml in ${PROJECT_DIR}; stacks there: prod, staging\n`);
    });

    it("--json with --markdown: exit 2 with the usage", () => {
        const r = iotCheck(["--stack=prod", "--json", "--markdown"]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^--json and --markdown cannot be used together: choose one output format\nusage: iot-check/);
    });

    it("a --policy-config file that does not exist: exit 2 naming the path", () => {
        const r = iotCheck(["--stack", "prod", "--policy-config", "policy/config/prd.json"]);
        assert.equal(r.status, 2);
        assert.equal(r.stderr, `--policy-config: no such file ${path.join(PROJECT_DIR, "policy/config/prd.json")}\n`);
    });

    it("an unknown option: exit 2, a did-you-mean and the usage", () => {
        const r = iotCheck(["--stak", "prod"]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^unknown option --stak \(did you mean --stack\?\)\nusage: iot-check --stack <name> /);
    });

    it("a policy config for another environment: exit 2, in one line per problem", () => {
        const r = iotCheck(["--stack", "prod", "--policy-config", "policy/config/staging.json"]);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /^policy config .*staging\.json is not valid for the pack:\n {2}- environment-tag\.environment: this config is for environment "staging", the stack is "prod"/);
    });

    describe("on stack files of its own", () => {
        let fixtures: string;

        before(() => {
            fixtures = fs.mkdtempSync(path.join(os.tmpdir(), "iot-check-e2e-stacks-"));
            writeStackFile(fixtures, "too-many-nodes", withConfig("prod", "cluster", (c) => { c.value.nodes.max = 9; }));
            writeStackFile(fixtures, "bad-config", withConfig("prod", "data", (c) => { c.value.stream.retentionHours = 12; }));
        });

        after(() => fs.rmSync(fixtures, { recursive: true, force: true }));

        it("a mandatory violation: exit 1, the JSON report alone on stdout", () => {
            const r = iotCheck(["--stack", "too-many-nodes", "--project-dir", fixtures, "--json"]);
            assert.equal(r.status, 1, r.stderr);
            const doc = JSON.parse(r.stdout);
            assert.deepEqual(schemaProblems(doc), []);
            assert.ok(doc.summary.mandatory > 0);
        });

        it("a stack config error: exit 2 naming the key, and no pack process left behind", () => {
            const marker = `${process.pid}-${Date.now()}`;
            const r = iotCheck(["--stack", "bad-config", "--project-dir", fixtures], PROJECT_DIR, { IOT_CHECK_TEST_RUN: marker });
            assert.equal(r.status, 2);
            assert.match(r.stderr, /iot-platform:data\.stream\.retentionHours/);
            assert.deepEqual(processesMarked(`IOT_CHECK_TEST_RUN=${marker}`), []);
        });
    });

    it("`npm run --silent check -- --json` writes clean JSON on stdout, the program's warnings on stderr", () => {
        const r = spawnSync("npm", ["run", "--silent", "check", "--", "--stack", "staging", "--json"], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        const doc = JSON.parse(r.stdout);
        assert.equal(doc.schemaVersion, 1);
        assert.equal(doc.stack, "staging");
        assert.match(r.stderr, /no Slack webhook or PagerDuty routing key configured/);
    });

    describe("--baseline-ref", () => {
        let repo: string;

        // A repository of this project's files with two commits: the base, and a change that lets
        // staging grow to four nodes (over staging's node-capacity limit of three, so the check
        // exits 1) and adds a stack the base does not have.
        before(() => {
            repo = fs.mkdtempSync(path.join(os.tmpdir(), "iot-check-e2e-"));
            const files = git(PROJECT_DIR, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_DIR, f)));
            for (const f of files) {
                fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
                fs.copyFileSync(path.join(PROJECT_DIR, f), path.join(repo, f));
            }
            git(repo, "init", "-q");
            git(repo, "add", "-A");
            git(repo, "commit", "-q", "-m", "base");
            const stackFile = path.join(repo, "Pulumi.staging.yaml");
            const staging = fs.readFileSync(stackFile, "utf8");
            const grown = staging.replace(/(\n {4}nodes:\n(?: {6}.*\n)*? {6}max: )3\n/, "$14\n");
            assert.notEqual(grown, staging, "the staging node group's max was not found");
            fs.writeFileSync(stackFile, grown);
            fs.copyFileSync(stackFile, path.join(repo, "Pulumi.qa.yaml"));
            git(repo, "add", "-A");
            git(repo, "commit", "-q", "-m", "head");
            // After the commits: git would take a symlink for a file, past .gitignore's `node_modules/`.
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(repo, "node_modules"), "dir");
        });

        after(() => fs.rmSync(repo, { recursive: true, force: true }));

        it("compares with the base commit's own check: the node group's two worst-case lines grew by a third", () => {
            const r = iotCheck(["--stack", "staging", "--json", "--baseline-ref", "HEAD~1"], repo);
            assert.equal(r.status, 1, r.stderr);
            const doc = JSON.parse(r.stdout);
            assert.deepEqual(schemaProblems(doc), []);
            const { comparison } = doc;
            assert.match(comparison.baseline, /^HEAD~1 \([0-9a-f]{8}\)$/);
            assert.equal(comparison.expected.differenceUsd, 0);
            assert.deepEqual(comparison.lines.map((l: any) => [l.label, l.change]), [
                ["iot-platform-staging-cluster-nodes: t3.large x 2 (max 4) (was t3.large x 2 (max 3))", "changed"],
                ["iot-platform-staging-cluster-nodes: EBS gp3 30 GB root volume per node", "changed"],
            ]);
            for (const line of comparison.lines) {
                assert.equal(line.expected.baselineUsd, line.expected.newUsd, line.label);
                assert.ok(Math.abs(line.worstCase.newUsd / line.worstCase.baselineUsd - 4 / 3) < 0.001, JSON.stringify(line));
            }
            const moved = comparison.lines.reduce((sum: number, l: any) => sum + l.worstCase.newUsd - l.worstCase.baselineUsd, 0);
            // Totals and lines are rounded to cents apart, so they may differ by one.
            assert.ok(Math.abs(comparison.worstCase.differenceUsd - moved) <= 0.011, `${comparison.worstCase.differenceUsd} vs ${moved}`);
        });

        it("leads the Markdown comment with the change", () => {
            const r = iotCheck(["--stack", "staging", "--markdown", "--baseline-ref", "HEAD~1"], repo);
            assert.equal(r.status, 1, r.stderr);
            assert.match(r.stdout, /^### `staging`: Worst case \+\$[\d,]+\.\d\d \(\+\d+%\), \d+% of budget\n\nAgainst `HEAD~1 \([0-9a-f]{8}\)`\.\n/);
        });

        it("reports a stack the base does not have without a comparison, and says why", () => {
            const r = iotCheck(["--stack", "qa", "--json", "--baseline-ref", "HEAD~1"], repo);
            assert.equal(r.status, 1, r.stderr);
            const doc = JSON.parse(r.stdout);
            assert.deepEqual(schemaProblems(doc), []);
            assert.equal(doc.comparison, undefined);
            assert.match(doc.noComparison, /^no cost comparison against HEAD~1 \([0-9a-f]{8}\): stack "qa" does not exist at HEAD~1 \([0-9a-f]{8}\) \(no Pulumi\.qa\.yaml\)$/);
        });
    });
});
