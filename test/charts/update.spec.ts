import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { CHARTS_DIR, LockedChart, readLock, sha256 } from "../../tools/charts/archive";
import { findRelease, lockEntry, releaseTag } from "../../tools/charts/update";
import { updateChart } from "../../scripts/update-chart";

const INDEX = `
apiVersion: v1
entries:
  metrics-server:
  - name: metrics-server
    version: 3.13.2
    appVersion: 0.8.2
    digest: ${"a".repeat(64)}
    urls: [https://github.com/kubernetes-sigs/metrics-server/releases/download/metrics-server-helm-chart-3.13.2/metrics-server-3.13.2.tgz]
  - name: metrics-server
    version: 3.13.1
    digest: ${"b".repeat(64)}
    urls: [charts/metrics-server-3.13.1.tgz]
  - name: metrics-server
    version: 3.13.0
    urls: [charts/metrics-server-3.13.0.tgz]
`;

describe("chart update steps", () => {
    it("finds a release in a repository index, with an absolute archive URL and its digest", () => {
        const release = findRelease(INDEX, "https://kubernetes-sigs.github.io/metrics-server", "metrics-server", "3.13.1");
        assert.deepEqual([release.digest, release.urls], ["b".repeat(64), ["https://kubernetes-sigs.github.io/metrics-server/charts/metrics-server-3.13.1.tgz"]]);
    });

    it("refuses a version the repository never published, and one without a digest to verify", () => {
        assert.throws(() => findRelease(INDEX, "https://example.com", "metrics-server", "3.13.5"), /metrics-server 3.13.5 is not published in https:\/\/example.com \(latest: 3.13.2, 3.13.1, 3.13.0\)/);
        assert.throws(() => findRelease(INDEX, "https://example.com", "metrics-server", "3.13.0"), /no sha256 digest/);
    });

    it("derives the release tag in the form the previous tag had", () => {
        const lock = readLock();
        const tag = (name: string, version: string) => releaseTag(lock.find((c) => c.name === name), name, version);
        assert.equal(tag("metrics-server", "3.13.2"), "metrics-server-helm-chart-3.13.2");
        assert.equal(tag("cluster-autoscaler", "9.60.0"), "cluster-autoscaler-chart-9.60.0");
        assert.equal(tag("kube-prometheus-stack", "89.0.0"), "kube-prometheus-stack-89.0.0");
        assert.equal(releaseTag(undefined, "new-chart", "1.0.0"), "new-chart-1.0.0");
    });

    it("builds the lock entry with the checksum, the resolved tags and the subcharts' origins", () => {
        const previous = readLock().find((c) => c.name === "kube-prometheus-stack")!;
        const resolved: string[] = [];
        const entry: LockedChart = lockEntry({
            previous,
            metadata: { name: "kube-prometheus-stack", version: "89.0.0", appVersion: "v0.94.0", dependencies: [{ name: "grafana", version: "12.12.0", repository: "https://grafana-community.github.io/helm-charts" }, { name: "crds", version: "0.0.0" }] },
            subcharts: [{ name: "grafana", version: "12.12.0", appVersion: "13.3.0" }, { name: "crds", version: "0.0.0" }],
            sha256: "c".repeat(64),
            repository: previous.repository!,
            source: previous.source,
            resolve: ({ name, version, previous: before }) => {
                resolved.push(`${name} ${version}`);
                return { tag: releaseTag(before, name, version), commit: "d".repeat(40) };
            },
        });
        assert.deepEqual(resolved, ["kube-prometheus-stack 89.0.0", "grafana 12.12.0"]);
        assert.equal(entry.archive, "kube-prometheus-stack-89.0.0.tgz");
        assert.deepEqual([entry.tag, entry.commit, entry.sha256], ["kube-prometheus-stack-89.0.0", "d".repeat(40), "c".repeat(64)]);
        assert.deepEqual(entry.dependencies, [
            { name: "grafana", version: "12.12.0", appVersion: "13.3.0", repository: "https://grafana-community.github.io/helm-charts", source: "https://github.com/grafana-community/helm-charts", tag: "grafana-12.12.0", commit: "d".repeat(40) },
            { name: "crds", version: "0.0.0", appVersion: undefined, repository: undefined, source: "packaged inside kube-prometheus-stack (charts/crds)", tag: undefined, commit: undefined },
        ]);
    });
});

describe("chart update script, against a local chart repository and git repository", () => {
    const archive = "metrics-server-3.13.1.tgz";
    const bytes = fs.readFileSync(path.join(CHARTS_DIR, archive));
    let dir: string;
    let server: http.Server;
    let repository: string;
    let index: string;
    let commit: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-update-test-"));
        // The release tag, annotated as upstream tags are, in a git repository the script reads with ls-remote.
        const source = path.join(dir, "source");
        const git = (...args: string[]) => execFileSync("git", ["-C", source, ...args], { encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } }).trim();
        fs.mkdirSync(source);
        execFileSync("git", ["init", "-q", source]);
        git("commit", "-q", "--allow-empty", "-m", "release");
        git("tag", "-a", "metrics-server-helm-chart-3.13.1", "-m", "3.13.1");
        commit = git("rev-parse", "HEAD");
        server = http.createServer((req, res) => {
            if (req.url === "/index.yaml") {
                res.end(index);
            } else if (req.url === `/${archive}`) {
                res.end(bytes);
            } else {
                res.statusCode = 404;
                res.end();
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const charts = path.join(dir, "charts");
        fs.mkdirSync(charts);
        fs.writeFileSync(path.join(charts, "metrics-server-3.13.0.tgz"), "previous release");
        const previous = { ...readLock().find((c) => c.name === "metrics-server")!, archive: "metrics-server-3.13.0.tgz", version: "3.13.0", tag: "metrics-server-helm-chart-3.13.0", repository, source };
        fs.writeFileSync(path.join(charts, "charts.lock.json"), JSON.stringify({ charts: [previous] }));
    });

    after(() => {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const publish = (digest: string) => {
        index = `apiVersion: v1\nentries:\n  metrics-server:\n  - name: metrics-server\n    version: 3.13.1\n    digest: ${digest}\n    urls: [${archive}]\n`;
    };

    it("refuses an archive whose sha256 differs from the index's digest, changing nothing", async () => {
        publish("f".repeat(64));
        await assert.rejects(updateChart({ name: "metrics-server", version: "3.13.1", chartsDir: path.join(dir, "charts") }, () => undefined), /differs from the index's digest f{64}/);
        assert.deepEqual(fs.readdirSync(path.join(dir, "charts")).sort(), ["charts.lock.json", "metrics-server-3.13.0.tgz"]);
    });

    it("vendors the verified release, replaces the previous archive and locks checksum, tag and commit", async () => {
        publish(sha256(path.join(CHARTS_DIR, archive)));
        const entry = await updateChart({ name: "metrics-server", version: "3.13.1", chartsDir: path.join(dir, "charts") }, () => undefined);
        assert.deepEqual(fs.readdirSync(path.join(dir, "charts")).sort(), ["charts.lock.json", archive]);
        assert.ok(fs.readFileSync(path.join(dir, "charts", archive)).equals(bytes));
        assert.deepEqual(readLock(path.join(dir, "charts", "charts.lock.json")), [entry]);
        assert.deepEqual([entry.version, entry.appVersion, entry.sha256, entry.tag, entry.commit],
            ["3.13.1", "0.8.1", sha256(path.join(CHARTS_DIR, archive)), "metrics-server-helm-chart-3.13.1", commit]);
    });
});
