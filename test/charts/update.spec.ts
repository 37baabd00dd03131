import { strict as assert } from "assert";
import { LockedChart, readLock } from "../../tools/charts/archive";
import { findRelease, lockEntry, releaseTag } from "../../tools/charts/update";

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
