import { validateWorkflow } from "@action-validator/core";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { PROJECT_DIR } from "../util";

const DIR = path.join(PROJECT_DIR, ".github", "workflows");
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));

function load(file: string): any {
    return yaml.load(fs.readFileSync(path.join(DIR, file), "utf8"));
}

function steps(workflow: any): { job: string; step: any }[] {
    return Object.entries(workflow.jobs).flatMap(([job, spec]: [string, any]) => (spec.steps ?? []).map((step: any) => ({ job, step })));
}

describe("GitHub Actions workflows", () => {
    it("has the pull-request and deploy workflows", () => {
        assert.deepEqual(FILES.sort(), ["deploy.yml", "pull-request.yml"]);
    });

    for (const file of FILES) {
        describe(file, () => {
            it("validates against the workflow schema", () => {
                assert.deepEqual(validateWorkflow(fs.readFileSync(path.join(DIR, file), "utf8")).errors, []);
            });

            it("pins every action to a full commit SHA", () => {
                const unpinned = steps(load(file)).map(({ step }) => step.uses).filter((u) => u && !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(u));
                assert.deepEqual(unpinned, []);
            });

            it("grants each job only the permissions it declares, on top of read-only contents", () => {
                const workflow = load(file);
                assert.deepEqual(workflow.permissions, { contents: "read" });
                for (const [job, spec] of Object.entries<any>(workflow.jobs)) {
                    assert.ok(spec.permissions, `${job} declares no permissions`);
                    assert.equal(spec.permissions.contents, "read", job);
                }
            });

            it("uses no long-lived AWS keys", () => {
                const text = fs.readFileSync(path.join(DIR, file), "utf8");
                assert.doesNotMatch(text, /aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
            });
        });
    }

    it("runs every job that reaches the cluster on the configurable runner", () => {
        const reachCluster = [["pull-request.yml", "preview"], ["deploy.yml", "staging"], ["deploy.yml", "prod"]];
        for (const [file, job] of reachCluster) {
            assert.equal(load(file).jobs[job]["runs-on"], "${{ vars.PULUMI_RUNNER || 'ubuntu-24.04' }}", `${file} ${job}`);
        }
    });

    it("renders the vendored charts on every pull request and puts the rendered diff per stack in the job summary", () => {
        const runs = load("pull-request.yml").jobs.charts.steps.map((s: any) => s.run ?? "").join("\n");
        assert.match(runs, /npm run test:charts/);
        assert.match(runs, /render-charts\.ts --out "\$\{RUNNER_TEMP\}\/rendered-head"/);
        assert.match(runs, /render-charts\.ts --diff .* >> "\$\{GITHUB_STEP_SUMMARY\}"/);
        assert.match(runs, /git diff --quiet "\$\{BASE_SHA\}" HEAD -- charts components stacks/);
    });

    it("rejects a workflow with a misspelt key, so the validator is really checking", () => {
        const broken = fs.readFileSync(path.join(DIR, "deploy.yml"), "utf8").replace("runs-on:", "runs-onn:");
        assert.notDeepEqual(validateWorkflow(broken).errors, []);
    });

    describe("pull-request.yml", () => {
        const workflow = load("pull-request.yml");

        it("lints, typechecks, runs the tests and the end-to-end check, and validates the monitoring rules", () => {
            const runs = workflow.jobs.verify.steps.map((s: any) => s.run).filter(Boolean).join("\n");
            for (const command of ["npm ci", "npm run lint", "npm run typecheck", "npm test", "npm run test:e2e", "bash scripts/check-monitoring.sh"]) {
                assert.ok(runs.includes(command), command);
            }
        });

        it("caches npm", () => {
            const setupNode = workflow.jobs.verify.steps.find((s: any) => String(s.uses).startsWith("actions/setup-node@"));
            assert.equal(setupNode.with.cache, "npm");
        });

        it("runs the offline check per stack and updates one comment per stack", () => {
            const job = workflow.jobs["offline-check"];
            assert.deepEqual(job.strategy.matrix.stack, ["prod", "staging"]);
            assert.equal(job.permissions["pull-requests"], "write");
            const script = job.steps.find((s: any) => String(s.uses).startsWith("actions/github-script@")).with.script;
            assert.match(script, /updateComment/);
            assert.match(job.steps.find((s: any) => s.id === "check").run, /--markdown .*GITHUB_STEP_SUMMARY/s);
        });

        it("compares each stack's cost with the merge commit's first parent, which the checkout fetches", () => {
            const job = workflow.jobs["offline-check"];
            const checkout = job.steps.find((s: any) => String(s.uses).startsWith("actions/checkout@"));
            assert.ok(checkout.with["fetch-depth"] === 0 || checkout.with["fetch-depth"] >= 2, "the base commit is not fetched");
            const run = job.steps.find((s: any) => s.id === "check").run;
            assert.match(run, /base="\$\(git rev-parse HEAD\^1\)"/);
            assert.match(run, /--markdown --baseline-ref "\$\{base\}"/);
        });

        it("previews each stack with the policy pack and that environment's policy config, through OIDC", () => {
            const job = workflow.jobs.preview;
            assert.equal(job.permissions["id-token"], "write");
            const pulumi = job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
            assert.equal(pulumi.with.command, "preview");
            assert.equal(pulumi.with.diff, true);
            assert.equal(pulumi.with["comment-on-pr"], true);
            assert.equal(pulumi.with.policyPacks, "policy");
            assert.equal(pulumi.with.policyPackConfigs, "policy/config/${{ matrix.environment }}.json");
            assert.deepEqual(job.strategy.matrix.include.map((i: any) => [i.stack, i.environment]), [["prod", "prod"], ["staging", "staging"]]);
        });
    });

    describe("deploy.yml", () => {
        const workflow = load("deploy.yml");

        it("deploys on pushes to main", () => {
            assert.deepEqual(workflow.on.push.branches, ["main"]);
        });

        it("deploys staging, then prod behind the prod environment", () => {
            assert.equal(workflow.jobs.staging.environment, "staging");
            assert.equal(workflow.jobs.prod.environment, "prod");
            assert.equal(workflow.jobs.prod.needs, "staging");
        });

        for (const stack of ["staging", "prod"]) {
            it(`${stack}: one deployment at a time, never cancelled, with the policy pack`, () => {
                const job = workflow.jobs[stack];
                assert.deepEqual(job.concurrency, { group: `deploy-${stack}`, "cancel-in-progress": false });
                const pulumi = job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
                assert.equal(pulumi.with.command, "up");
                assert.equal(pulumi.with.policyPackConfigs, `policy/config/${stack}.json`);
                assert.equal(job.permissions["id-token"], "write");
            });
        }
    });

    describe("the roles the jobs assume", () => {
        /** The role step and the credentials step of a job, and what the role step runs. */
        const roleOf = (file: string, job: string) => {
            const jobSteps = load(file).jobs[job].steps;
            const credentials = jobSteps.filter((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
            const roleStep = jobSteps.find((s: any) => s.id === "role");
            return { credentials, roleStep, run: String(roleStep?.run ?? "").replace(/\$\{STACK\}/g, roleStep?.env?.STACK ?? "") };
        };

        for (const [file, job, stack, role] of [
            ["pull-request.yml", "preview", "${{ matrix.stack }}", "preview-role"],
            ["deploy.yml", "staging", "staging", "deploy-role"],
            ["deploy.yml", "prod", "prod", "deploy-role"],
        ]) {
            it(`${file} ${job}: assumes the ${role} the stack file grants cluster access to`, () => {
                const { credentials, roleStep, run } = roleOf(file, job);
                assert.equal(credentials.length, 1);
                assert.equal(credentials[0].with["role-to-assume"], "${{ steps.role.outputs.arn }}");
                assert.ok(roleStep, "no step with id role");
                assert.match(run, new RegExp(`scripts/stack-setting\\.ts "?${stack.replace(/[${}.]/g, "\\$&")}"? ${role}\\)`));
                const text = fs.readFileSync(path.join(DIR, file), "utf8");
                assert.doesNotMatch(text, /AWS_(PREVIEW|DEPLOY)_ROLE_ARN/);
            });
        }
    });

    for (const stack of ["staging", "prod"]) {
        it(`deploy.yml ${stack}: refuses to create the stack's cluster from CI, before pulumi up`, () => {
            const jobSteps = load("deploy.yml").jobs[stack].steps;
            const guard = jobSteps.findIndex((s: any) => s.name === "Refuse to create the cluster from CI");
            const up = jobSteps.findIndex((s: any) => String(s.uses).startsWith("pulumi/actions@"));
            const credentials = jobSteps.findIndex((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
            assert.ok(credentials < guard && guard < up, `${credentials} < ${guard} < ${up}`);
            const run = jobSteps[guard].run;
            assert.match(run, new RegExp(`stack-setting\\.ts ${stack} cluster-name`));
            assert.match(run, new RegExp(`stack-setting\\.ts ${stack} region`));
            assert.match(run, /aws eks describe-cluster --name "\$\{name\}" --region "\$\{region\}"/);
            assert.match(run, /ResourceNotFoundException[\s\S]*exit 1/);
        });
    }
});
