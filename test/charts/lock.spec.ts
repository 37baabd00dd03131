import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHART as MONITORING_CHART } from "../../components/monitoring/Monitoring";
import { CLUSTER_AUTOSCALER_CHART } from "../../components/addons/ClusterAutoscaler";
import { METRICS_SERVER_CHART } from "../../components/addons/MetricsServer";
import { chartArchive } from "../../components/charts";
import { chartFiles, CHARTS_DIR, readLock, readTgz, sha256 } from "../../tools/charts/archive";
import { runStack } from "../util";
import { CHART_TARGETS, STACKS } from "./targets";

describe("vendored chart archives", () => {
    const lock = readLock();

    it("locks exactly the archives in charts/", () => {
        const archives = fs.readdirSync(CHARTS_DIR).filter((f) => f.endsWith(".tgz")).sort();
        assert.deepEqual(lock.map((c) => c.archive).sort(), archives);
        assert.deepEqual(fs.readdirSync(CHARTS_DIR).filter((f) => !f.endsWith(".tgz")), ["charts.lock.json"]);
    });

    for (const chart of lock) {
        describe(chart.archive, () => {
            it("has the checksum the lock records", () => {
                assert.equal(sha256(path.join(CHARTS_DIR, chart.archive)), chart.sha256);
            });

            it("holds the chart, version and subcharts the lock names, from a tagged release commit", () => {
                assert.equal(chart.archive, `${chart.name}-${chart.version}.tgz`);
                const charts = chartFiles(readTgz(path.join(CHARTS_DIR, chart.archive)));
                const own = charts.get(chart.name);
                assert.deepEqual([own?.name, own?.version, own?.appVersion], [chart.name, chart.version, chart.appVersion]);
                const inside = [...charts].filter(([dir]) => dir.startsWith(`${chart.name}/charts/`))
                    .map(([, c]) => `${c.name} ${c.version}`).sort();
                assert.deepEqual(inside, (chart.dependencies ?? []).map((d) => `${d.name} ${d.version}`).sort());
                for (const origin of [chart, ...(chart.dependencies ?? []).filter((d) => d.tag !== undefined)]) {
                    assert.match(origin.source, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/, origin.name);
                    assert.match(origin.commit ?? "", /^[0-9a-f]{40}$/, origin.name);
                    assert.ok(origin.tag?.endsWith(origin.version), `${origin.name}: tag ${origin.tag} is not the release of ${origin.version}`);
                }
            });
        });
    }

    it("fails on an archive whose bytes drift from the lock", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-drift-"));
        try {
            const copy = path.join(dir, lock[0].archive);
            const bytes = fs.readFileSync(path.join(CHARTS_DIR, lock[0].archive));
            bytes[bytes.length - 1] ^= 0xff;
            fs.writeFileSync(copy, bytes);
            assert.notEqual(sha256(copy), lock[0].sha256);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("is where every component takes its chart from", () => {
        for (const chart of [MONITORING_CHART, CLUSTER_AUTOSCALER_CHART, METRICS_SERVER_CHART]) {
            assert.ok(lock.some((c) => `./charts/${c.archive}` === chartArchive(chart)), `${chart.name} ${chart.version} is not vendored`);
        }
    });

    for (const stack of STACKS) {
        it(`deploys every Helm release of ${stack} from a locked archive, none from a repository, each one rendered by the chart checks`, async () => {
            const releases = (await runStack(stack)).resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs);
            assert.ok(releases.length >= 3);
            for (const release of releases) {
                assert.equal(release.repositoryOpts, undefined, release.name);
                assert.ok(lock.some((c) => release.chart === `./charts/${c.archive}`), `${release.name}: ${release.chart} is not a locked archive`);
                assert.ok(CHART_TARGETS.some((t) => release.chart === `./charts/${t.archive}` && release.name === t.releaseName && release.namespace === t.namespace),
                    `${release.name} (${release.chart}) has no entry in test/charts/targets.ts`);
            }
        });
    }
});
