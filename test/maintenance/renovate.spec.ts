import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CLUSTER_AUTOSCALER_IMAGE_TAGS } from "../../components/addons/ClusterAutoscaler";
import { CANARY_IMAGE } from "../../components/canary/manifests";
import { readLock } from "../../tools/charts/archive";
import { readStackFile } from "../../tools/stackFile";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const config = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "renovate.json"), "utf8"));

interface CustomManager {
    managerFilePatterns: string[];
    matchStrings: string[];
    depNameTemplate?: string;
    datasourceTemplate: string;
}

function projectFiles(dir = ""): string[] {
    return fs.readdirSync(path.join(PROJECT_DIR, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            return ["node_modules", ".git", "bin"].includes(entry.name) ? [] : projectFiles(rel);
        }
        return [rel];
    });
}

/** What Renovate's regex manager for `filePattern` (as written in renovate.json) extracts, as `depName version [registry]`. */
function extracted(datasource: string, filePattern: string): string[] {
    const managers = (config.customManagers as CustomManager[])
        .filter((m) => m.datasourceTemplate === datasource && m.managerFilePatterns.includes(filePattern));
    assert.equal(managers.length, 1, `one ${datasource} manager for ${filePattern}`);
    const [manager] = managers;
    const patterns = manager.managerFilePatterns.map((p) => new RegExp(p.slice(1, -1)));
    return projectFiles().filter((f) => patterns.some((p) => p.test(f))).flatMap((f) => {
        const text = fs.readFileSync(path.join(PROJECT_DIR, f), "utf8");
        return manager.matchStrings.flatMap((s) => [...text.matchAll(new RegExp(s, "g"))].map(({ groups = {} }) =>
            [groups.depName ?? manager.depNameTemplate, groups.currentValue, groups.registryUrl].filter(Boolean).join(" ")));
    }).sort();
}

describe("Renovate config", () => {
    const charts = readLock();

    it("finds every vendored chart in the lock, with its version and Helm repository, and no packaged subchart", () => {
        assert.deepEqual(extracted("helm", "/^charts/charts\\.lock\\.json$/"), charts.map((c) => `${c.name} ${c.version} ${c.repository}`).sort());
    });

    it("leaves every chart update to scripts/update-chart.ts, on request", () => {
        const rule = config.packageRules.find((r: any) => r.matchDatasources?.includes("helm"));
        assert.deepEqual([...rule.matchDepNames].sort(), charts.map((c) => c.name).sort());
        assert.equal(rule.dependencyDashboardApproval, true);
    });

    it("finds the Kubernetes version of every stack file", () => {
        const stacks = fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
        assert.ok(stacks.length >= 2);
        const versions = stacks.map((f) => JSON.parse(readStackFile(path.join(PROJECT_DIR, f)).config["iot-platform:cluster"]).kubernetesVersion);
        assert.deepEqual(extracted("endoflife-date", "/^Pulumi\\.[^.]+\\.yaml$/"), versions.map((v) => `amazon-eks ${v}`).sort());
    });

    it("finds every cluster-autoscaler image of the per-minor map", () => {
        assert.deepEqual(extracted("docker", "/^components/addons/ClusterAutoscaler\\.ts$/"),
            Object.values(CLUSTER_AUTOSCALER_IMAGE_TAGS).map((tag) => `registry.k8s.io/autoscaling/cluster-autoscaler ${tag}`).sort());
    });

    it("finds the canary's image", () => {
        assert.deepEqual(extracted("docker", "/^components/canary/manifests\\.ts$/"), [CANARY_IMAGE.replace(":", " ")]);
    });

    it("can update every action's version comment next to its SHA", () => {
        const dir = path.join(PROJECT_DIR, ".github", "workflows");
        const uses = fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l)));
        assert.ok(uses.length > 0);
        assert.deepEqual(uses.filter((l) => !/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(l)), []);
    });
});
