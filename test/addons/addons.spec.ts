import { strict as assert } from "assert";
import { clusterAutoscalerPolicy } from "../../components/addons/autoscalerPolicy";
import { CLUSTER_AUTOSCALER_CHART, CLUSTER_AUTOSCALER_IMAGE_TAGS } from "../../components/addons/ClusterAutoscaler";
import { METRICS_SERVER_CHART } from "../../components/addons/MetricsServer";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../stacks/config/cluster";
import { one, runStack } from "../util";

describe("cluster autoscaler IAM policy", () => {
    const policy = clusterAutoscalerPolicy("iot-platform-prod", "us-east-1");

    it("lets write actions touch only groups tagged as owned by this cluster", () => {
        const writes = policy.Statement.filter((s) => s.Action.some((a) => !/^(\w+):(Describe|Get)/.test(a)));
        assert.deepEqual(writes.map((s) => s.Action), [["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]]);
        assert.deepEqual(writes[0].Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/iot-platform-prod": "owned" } });
    });

    it("gives * only to Describe/Get actions, and scopes eks:DescribeNodegroup to this cluster", () => {
        for (const s of policy.Statement.filter((st) => st.Resource === "*" && st.Condition === undefined)) {
            assert.ok(s.Action.every((a) => /^(autoscaling|ec2):(Describe|Get)/.test(a)), s.Action.join(", "));
        }
        const nodegroups = policy.Statement.find((s) => s.Action.includes("eks:DescribeNodegroup"))!;
        assert.deepEqual(nodegroups.Resource, ["arn:aws:eks:us-east-1:*:nodegroup/iot-platform-prod/*/*"]);
    });
});

describe("cluster autoscaler image", () => {
    it("has an image for every Kubernetes version the config accepts", () => {
        assert.deepEqual(Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS), [...SUPPORTED_KUBERNETES_VERSIONS]);
        for (const [minor, tag] of Object.entries(CLUSTER_AUTOSCALER_IMAGE_TAGS)) {
            assert.ok(tag.startsWith(`v${minor}.`), `${minor} -> ${tag}`);
        }
    });
});

for (const [stack, expected] of [["prod", { region: "us-east-1", max: 6 }], ["staging", { region: "us-east-2", max: 3 }]] as const) {
    describe(`cluster add-ons (${stack})`, () => {
        const clusterName = `iot-platform-${stack}`;

        it("installs cluster-autoscaler from its vendored archive, discovering this cluster's groups, capped at the node group's max", async () => {
            const { resources } = await runStack(stack);
            const release = one(resources, "kubernetes:helm.sh/v3:Release", "-cluster-autoscaler-release").inputs;
            assert.equal(release.chart, "./charts/cluster-autoscaler-9.59.0.tgz");
            assert.equal(CLUSTER_AUTOSCALER_CHART.version, "9.59.0");
            assert.equal(release.repositoryOpts, undefined);
            assert.equal(release.namespace, "kube-system");
            const values = release.values;
            assert.equal(values.autoDiscovery.clusterName, clusterName);
            assert.equal(values.awsRegion, expected.region);
            assert.equal(values.image.tag, "v1.35.2");
            assert.equal(values.extraArgs["balance-similar-node-groups"], true);
            assert.equal(values.extraArgs["max-nodes-total"], expected.max);
            assert.equal(values.rbac.serviceAccount.name, "cluster-autoscaler");
            assert.match(values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"], new RegExp(`^arn:aws:iam::\\d{12}:role/${one(resources, "aws:iam/role:Role", "-cluster-autoscaler-irsa").inputs.namePrefix}\\d{26}$`));
        });

        it("gives cluster-autoscaler an IRSA role trusted by its service account only, with the scoped policy", async () => {
            const { resources } = await runStack(stack);
            const role = one(resources, "aws:iam/role:Role", "-cluster-autoscaler-irsa");
            const statement = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
            assert.deepEqual(Object.entries(statement.Condition.StringEquals).map(([k, v]) => `${k.split(":").pop()}=${v}`).sort(),
                ["aud=sts.amazonaws.com", "sub=system:serviceaccount:kube-system:cluster-autoscaler"]);
            const policy = one(resources, "aws:iam/rolePolicy:RolePolicy", "-cluster-autoscaler-irsa-autoscaling");
            assert.deepEqual(JSON.parse(policy.inputs.policy), clusterAutoscalerPolicy(clusterName, expected.region));
        });

        it("installs metrics-server from its vendored archive with two replicas and a disruption budget", async () => {
            const { resources } = await runStack(stack);
            const release = one(resources, "kubernetes:helm.sh/v3:Release", "-metrics-server-release").inputs;
            assert.equal(release.chart, "./charts/metrics-server-3.13.1.tgz");
            assert.equal(METRICS_SERVER_CHART.version, "3.13.1");
            assert.equal(release.repositoryOpts, undefined);
            assert.equal(release.values.replicas, 2);
            assert.deepEqual(release.values.podDisruptionBudget, { enabled: true, maxUnavailable: 1 });
        });
    });
}
