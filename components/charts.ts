/**
 * Helm charts are deployed from release archives vendored under charts/ (provenance and checksums in
 * charts/charts.lock.json, see docs/charts.md), never fetched from a chart repository at deploy time.
 */

export interface VendoredChart {
    readonly name: string;
    readonly version: string;
}

/**
 * The archive's path as `helm.v3.Release` takes it in `chart` (no `repositoryOpts`): relative, since
 * the Kubernetes provider resolves it from the program directory (where Pulumi.yaml is), and an
 * absolute path would differ between machines and show as a change to the release on every preview.
 */
export function chartArchive(chart: VendoredChart): string {
    return `./charts/${chart.name}-${chart.version}.tgz`;
}
