/** The offline check's argument parsing: each wrong invocation is refused with a message naming it, before anything runs. */
import { strict as assert } from "assert";
import { CliEnv, parseCheckArgs } from "../../tools/check/cli";
import { CheckSetupError } from "../../tools/check/errors";

const env: CliEnv = {
    cwd: "/repo",
    defaultProjectDir: "/repo",
    stacks: () => ["prod", "staging"],
    readFile: (file) => (file === "/repo/policy/config/prod.json" ? "{}" : undefined),
    resolveCommit: (ref, dir) => (ref === "main" ? { ref, sha: "1a2b3c4d5e6f".padEnd(40, "0"), repoRoot: dir, prefix: "" } : `"${ref}" is not a commit of ${dir}`),
};

function refusal(argv: string[]): string {
    try {
        parseCheckArgs(argv, env);
    } catch (err) {
        assert.ok(err instanceof CheckSetupError, `expected a setup error, got ${String(err)}`);
        return err.message;
    }
    throw new assert.AssertionError({ message: `accepted ${argv.join(" ")}` });
}

describe("offline check command line", () => {
    it("takes --stack=prod and --stack prod alike", () => {
        const a = parseCheckArgs(["--stack=prod"], env);
        const b = parseCheckArgs(["--stack", "prod"], env);
        assert.equal(a.help, false);
        assert.deepEqual(a, b);
    });

    it("answers --help without needing a stack", () => {
        assert.equal(parseCheckArgs(["--help"], env).help, true);
    });

    it("lists the stacks that exist for an unknown one", () => {
        assert.match(refusal(["--stack", "prodd"]), /unknown stack "prodd".*prod, staging/s);
    });

    it("refuses --json with --markdown, naming both", () => {
        assert.match(refusal(["--stack", "prod", "--json", "--markdown"]), /--json.*--markdown/s);
    });

    it("says a --policy-config file is missing instead of asking for one", () => {
        assert.match(refusal(["--stack", "prod", "--policy-config", "nope.json"]), /--policy-config: no such file \/repo\/nope\.json/);
    });

    it("suggests the option meant for a misspelt one", () => {
        assert.match(refusal(["--stak", "prod"]), /--stak.*did you mean --stack\?/s);
    });

    it("resolves --baseline-ref to a commit before anything runs", () => {
        const parsed = parseCheckArgs(["--stack", "prod", "--baseline-ref", "main"], env);
        assert.ok(!parsed.help);
        assert.equal(parsed.baselineRef?.sha, "1a2b3c4d5e6f".padEnd(40, "0"));
    });

    it("refuses a --baseline-ref that is not a commit, naming the option", () => {
        assert.equal(refusal(["--stack", "prod", "--baseline-ref", "mian"]), '--baseline-ref: "mian" is not a commit of /repo');
    });

    it("refuses two baselines at once", () => {
        assert.match(refusal(["--stack", "prod", "--baseline-ref", "main", "--compare", "policy/config/prod.json"]), /--compare and --baseline-ref cannot be used together/);
    });
});
