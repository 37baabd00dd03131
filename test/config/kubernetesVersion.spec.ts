/** The Kubernetes version judged against the EKS calendar on the day of the deployment. */
import { strict as assert } from "assert";
import { ConfigError } from "../../stacks/config";
import { parseConfig, withConfig } from "../util";

const onVersion = (version: string) => withConfig("prod", "cluster", (c) => { c.value.kubernetesVersion = version; });
const versionWarnings = (version: string, day: string) =>
    parseConfig(onVersion(version), [], new Date(day)).warnings.filter((w) => w.startsWith("iot-platform:cluster.kubernetesVersion"));

describe("Kubernetes version against the EKS calendar", () => {
    it("says nothing of a version more than 60 days from the end of its standard support", () => {
        assert.deepEqual(versionWarnings("1.35", "2027-01-25T23:00:00Z"), []);
    });

    it("warns from 60 days before standard support ends, with the date and the cost of staying", () => {
        assert.deepEqual(versionWarnings("1.35", "2027-01-26T00:00:00Z"), [
            "iot-platform:cluster.kubernetesVersion: \"1.35\" leaves EKS standard support on 2027-03-27 (in 60 days): from then the control plane bills " +
            "at the extended-support rate ($0.60 instead of $0.10 an hour, $365.00 a month more). Upgrade one minor version at a time (docs/maintenance.md, \"Kubernetes version upgrades\")",
        ]);
    });

    it("warns that 1.34 bills at the extended rate from 2026-12-02, and when EKS upgrades it itself", () => {
        assert.deepEqual(versionWarnings("1.34", "2026-12-01T23:59:59Z").length, 1, "the notice period");
        assert.deepEqual(versionWarnings("1.34", "2026-12-02T00:00:00Z"), [
            "iot-platform:cluster.kubernetesVersion: \"1.34\" is in EKS extended support since 2026-12-02: the control plane bills at the extended-support rate " +
            "($0.60 instead of $0.10 an hour, $365.00 a month more) until it is upgraded, and EKS upgrades it itself from 2027-12-02. " +
            "Upgrade one minor version at a time (docs/maintenance.md, \"Kubernetes version upgrades\")",
        ]);
    });

    it("refuses a version past extended support before anything is created, naming the versions still usable", () => {
        assert.throws(() => parseConfig(onVersion("1.33"), [], new Date("2027-07-29T00:00:00Z")), (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            assert.deepEqual(err.problems, [
                "iot-platform:cluster.kubernetesVersion: \"1.33\" is past EKS extended support since 2027-07-29: EKS creates no cluster on it and upgrades existing " +
                "control planes itself; use one of 1.34, 1.35. Upgrade one minor version at a time (docs/maintenance.md, \"Kubernetes version upgrades\")",
            ]);
            return true;
        });
    });
});
