import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AL2023_AMI_TYPES, instanceType } from "../../policy/instances";
import { irsaRoleNamePrefix, irsaTrustPolicy } from "./irsa";

/** Every control-plane log type EKS offers; audit and authenticator are the ones incidents need. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface NodeGroupSizing {
    /** A type of the instance catalogue (policy/instances.ts); its architecture selects the AMI type. */
    readonly instanceType: string;
    readonly min: number;
    readonly desired: number;
    readonly max: number;
    /** Root volume per node (gp3, encrypted). @default 50 */
    readonly diskSizeGb?: number;
}

/** EKS control plane, one managed node group, the core add-ons and an IRSA helper. */
export interface ClusterArgs {
    /** Physical cluster name; subnets are tagged with it before the cluster exists. */
    readonly clusterName: string;
    /** Pinned Kubernetes version, e.g. "1.34". */
    readonly kubernetesVersion: string;
    readonly vpcId: pulumi.Input<string>;
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** Nodes run only here. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** Networks that may reach the public endpoint; empty turns the public endpoint off. @default [] */
    readonly publicAccessCidrs?: readonly string[];
    /** IAM roles granted cluster-admin through access entries. @default [] */
    readonly adminRoleArns?: readonly string[];
    /** The CI identities and what each may do in Kubernetes. @default no CI access entries */
    readonly access?: ClusterAccess;
    /**
     * Where in-VPC deployers (self-hosted runners) reach the private endpoint from: each gets an
     * HTTPS ingress rule on the cluster security group. @default none
     */
    readonly apiIngress?: ApiIngress;
    /** Kubernetes Service range. @default "172.20.0.0/16" */
    readonly serviceCidr?: string;
    /** Node group sizing. @default three m6i.large nodes, max 3 */
    readonly nodes?: NodeGroupSizing;
    /** Days control-plane logs are kept. @default 90 */
    readonly logRetentionDays?: number;
    readonly tags: Readonly<Record<string, string>>;
}

/** The CI roles, each with an access entry; none may be the identity that creates the cluster. */
export interface ClusterAccess {
    /** The role `pulumi up` runs as in CI: cluster-admin. */
    readonly deployRoleArn?: string;
    /** The role pull-request previews run as: read-only on every object, Secrets included. */
    readonly previewRoleArn?: string;
}

export interface ApiIngress {
    /** @default [] */
    readonly cidrs?: readonly string[];
    /** @default [] */
    readonly securityGroupIds?: readonly string[];
}

export interface IrsaRoleArgs {
    readonly namespace: string;
    readonly serviceAccount: string;
    /** Inline policies by name, as JSON documents. */
    readonly inlinePolicies?: Readonly<Record<string, pulumi.Input<string>>>;
    readonly managedPolicyArns?: readonly pulumi.Input<string>[];
}

const DEFAULT_NODES: NodeGroupSizing = { instanceType: "m6i.large", min: 3, desired: 3, max: 3, diskSizeGb: 50 };

export class Cluster extends pulumi.ComponentResource {
    public readonly clusterName: string;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly oidcProviderArn: pulumi.Output<string>;
    public readonly oidcIssuer: pulumi.Output<string>;
    public readonly nodeGroup: eks.ManagedNodeGroup;
    /** Cluster DNS, created once the nodes exist. */
    public readonly coredns: aws.eks.Addon;
    public readonly nodes: NodeGroupSizing;

    private readonly tags: Readonly<Record<string, string>>;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:cluster:Cluster", name, {}, opts);

        const nodes = args.nodes ?? DEFAULT_NODES;
        validateNodes(nodes, this);
        validatePrincipals(args.adminRoleArns ?? [], args.access ?? {}, this);
        const nodeType = instanceType(nodes.instanceType);
        if (nodeType === undefined) {
            throw new pulumi.ResourceError(`nodes.instanceType ${nodes.instanceType} is not in the instance catalogue (policy/instances.ts), so its architecture and AMI type are unknown`, this);
        }
        if (args.privateSubnetIds.length < 2) {
            throw new pulumi.ResourceError(`privateSubnetIds needs subnets in at least 2 zones, got ${args.privateSubnetIds.length}`, this);
        }
        const publicAccessCidrs = args.publicAccessCidrs ?? [];
        const open = publicAccessCidrs.filter((c) => c === "0.0.0.0/0" || c === "::/0");
        if (open.length > 0) {
            throw new pulumi.ResourceError(`publicAccessCidrs must not contain ${open.join(", ")}: the API would be open to the internet`, this);
        }
        const diskSizeGb = nodes.diskSizeGb ?? 50;
        const tags = args.tags;
        const child = { parent: this };
        this.tags = tags;
        this.clusterName = args.clusterName;
        this.nodes = { ...nodes, diskSizeGb };

        const secretsKey = new aws.kms.Key(`${name}-secrets`, {
            description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags,
        }, child);
        new aws.kms.Alias(`${name}-secrets`, { name: `alias/${args.clusterName}-secrets`, targetKeyId: secretsKey.keyId }, child);

        // EKS would create this group itself with no expiry; owning it bounds the log bill.
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
            name: `/aws/eks/${args.clusterName}/cluster`,
            retentionInDays: args.logRetentionDays ?? 90,
            tags,
        }, child);

        const cluster = new eks.Cluster(`${name}-eks`, {
            name: args.clusterName,
            version: args.kubernetesVersion,
            vpcId: args.vpcId,
            publicSubnetIds: args.publicSubnetIds,
            privateSubnetIds: args.privateSubnetIds,
            nodeAssociatePublicIpAddress: false,
            authenticationMode: eks.AuthenticationMode.Api,
            accessEntries: accessEntries(args.adminRoleArns ?? [], args.access ?? {}, tags),
            skipDefaultNodeGroup: true,
            createOidcProvider: true,
            endpointPrivateAccess: true,
            endpointPublicAccess: publicAccessCidrs.length > 0,
            publicAccessCidrs: publicAccessCidrs.length > 0 ? [...publicAccessCidrs] : undefined,
            encryptionConfigKeyArn: secretsKey.arn,
            enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
            kubernetesServiceIpAddressRange: args.serviceCidr ?? "172.20.0.0/16",
            // Without the network policy agent, NetworkPolicy objects are accepted and ignored.
            vpcCniOptions: { enableNetworkPolicy: true },
            // kube-proxy and vpc-cni are DaemonSets: with no nodes they have nothing to wait for and
            // turn ACTIVE, and nodes need the CNI to become Ready, so they stay before the node group.
            // coredns is a Deployment: created here it would stay DEGRADED until the create times out
            // (pulumi/pulumi-eks#1819), so it is created below, after the nodes.
            corednsAddonOptions: { enabled: false },
            kubeProxyAddonOptions: { enabled: true },
            tags,
        }, { ...child, dependsOn: [controlPlaneLogs] });

        // The private endpoint answers only what the cluster security group lets in; without these a
        // runner inside the VPC cannot reach the API even though its traffic never leaves the VPC.
        const apiIngress = args.apiIngress ?? {};
        const apiIngressCidrs = apiIngress.cidrs ?? [];
        if (apiIngressCidrs.length > 0) {
            new aws.ec2.SecurityGroupRule(`${name}-api-from-cidrs`, {
                description: "Kubernetes API (private endpoint) from in-VPC deployers",
                type: "ingress",
                protocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrBlocks: [...apiIngressCidrs],
                securityGroupId: cluster.clusterSecurityGroupId,
            }, child);
        }
        (apiIngress.securityGroupIds ?? []).forEach((sourceSecurityGroupId) => {
            new aws.ec2.SecurityGroupRule(`${name}-api-from-${sourceSecurityGroupId}`, {
                description: "Kubernetes API (private endpoint) from in-VPC deployers",
                type: "ingress",
                protocol: "tcp",
                fromPort: 443,
                toPort: 443,
                sourceSecurityGroupId,
                securityGroupId: cluster.clusterSecurityGroupId,
            }, child);
        });

        const nodeRole = new aws.iam.Role(`${name}-node`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        }, child);
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];
        const nodePolicyAttachments = nodePolicies.map((policy) => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, {
            role: nodeRole.name,
            policyArn: `arn:aws:iam::aws:policy/${policy}`,
        }, child));

        const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes`, {
            description: `Nodes of ${args.clusterName}`,
            // Hop limit 1 keeps pods (one hop further, behind the node) away from the node role's
            // credentials; workloads get AWS access through IRSA only.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: diskSizeGb, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            tagSpecifications: [
                { resourceType: "instance", tags: { ...tags, Name: `${args.clusterName}-node` } },
                { resourceType: "volume", tags },
            ],
            updateDefaultVersion: true,
            tags,
        }, child);

        // The `cluster` input already orders the group after the cluster; `dependsOn` states it for
        // every view of the program, mocks included (they drop dependencies carried by a resource input).
        this.nodeGroup = new eks.ManagedNodeGroup(`${name}-nodes`, {
            cluster,
            nodeRoleArn: nodeRole.arn,
            subnetIds: args.privateSubnetIds,
            instanceTypes: [nodes.instanceType],
            // Named, not left to the EKS API default, so the AMI always matches the instance type's architecture.
            amiType: AL2023_AMI_TYPES[nodeType.architecture],
            capacityType: "ON_DEMAND",
            // With a launch template @pulumi/eks (4.3.0, nodes/nodegroup.ts) leaves the version unset,
            // and EKS then never moves the nodes when the control plane is upgraded. Ours sets no AMI,
            // so the version may be named: a bump upgrades the control plane first, then rolls the nodes.
            version: args.kubernetesVersion,
            scalingConfig: { minSize: nodes.min, desiredSize: nodes.desired, maxSize: nodes.max },
            // The cluster autoscaler owns the desired size once the group exists.
            ignoreScalingChanges: true,
            launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
            labels: { "iot.platform/pool": "general" },
            tags: {
                ...tags,
                "k8s.io/cluster-autoscaler/enabled": "true",
                [`k8s.io/cluster-autoscaler/${args.clusterName}`]: "owned",
            },
        }, { ...child, dependsOn: [cluster, ...nodePolicyAttachments] });

        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcIssuer = cluster.oidcIssuer;
        this.provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: this.kubeconfig,
            enableServerSideApply: true,
        }, child);

        // An add-on without a version keeps the one it was created with through control-plane upgrades.
        // Naming the newest build for the pinned Kubernetes version moves it with a version bump, as
        // @pulumi/eks (4.3.0) does for the kube-proxy and vpc-cni add-ons it creates.
        const addonVersionFor = (addonName: string) => aws.eks.getAddonVersionOutput({
            addonName,
            kubernetesVersion: args.kubernetesVersion,
            mostRecent: true,
        }, { parent: this }).version;

        // Cluster DNS: its pods need nodes, and every workload needs DNS, so it comes right after them.
        // PRESERVE on update keeps a Corefile someone tuned; OVERWRITE on create adopts the
        // self-managed coredns EKS installs with a new cluster (bootstrapSelfManagedAddons).
        this.coredns = new aws.eks.Addon(`${name}-coredns`, {
            clusterName: args.clusterName,
            addonName: "coredns",
            addonVersion: addonVersionFor("coredns"),
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "PRESERVE",
            tags,
        }, { ...child, dependsOn: [cluster, this.nodeGroup] });

        const ebsCsiRole = this.createIrsaRole(`${name}-ebs-csi`, {
            namespace: "kube-system",
            serviceAccount: "ebs-csi-controller-sa",
            managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
        });
        // The controller pods need nodes to schedule on; before that the add-on never turns ACTIVE.
        const ebsCsi = new aws.eks.Addon(`${name}-ebs-csi`, {
            clusterName: args.clusterName,
            addonName: "aws-ebs-csi-driver",
            addonVersion: addonVersionFor("aws-ebs-csi-driver"),
            serviceAccountRoleArn: ebsCsiRole.arn,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "PRESERVE",
            tags,
        }, { ...child, dependsOn: [cluster, this.nodeGroup] });

        new k8s.storage.v1.StorageClass(`${name}-gp3`, {
            metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
            provisioner: "ebs.csi.aws.com",
            volumeBindingMode: "WaitForFirstConsumer",
            allowVolumeExpansion: true,
            reclaimPolicy: "Delete",
            parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        }, { ...child, provider: this.provider, dependsOn: [ebsCsi] });

        this.registerOutputs({
            clusterName: this.clusterName,
            kubeconfig: this.kubeconfig,
            oidcProviderArn: this.oidcProviderArn,
        });
    }

    /**
     * A role that exactly one service account in one namespace can assume, with the given
     * permissions. It belongs to whoever asks for it: pass `{ parent: this }` from the component
     * that runs the service account. @default parent: this cluster
     */
    public createIrsaRole(name: string, args: IrsaRoleArgs, opts?: pulumi.CustomResourceOptions): aws.iam.Role {
        const child = { parent: this, ...opts };
        const role = new aws.iam.Role(name, {
            namePrefix: irsaRoleNamePrefix(this.clusterName, args.serviceAccount),
            assumeRolePolicy: pulumi
                .all([this.oidcProviderArn, this.oidcIssuer])
                .apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, args.namespace, args.serviceAccount))),
            tags: { ...this.tags, "iot.platform/service-account": `${args.namespace}.${args.serviceAccount}` },
        }, child);
        for (const [policyName, document] of Object.entries(args.inlinePolicies ?? {})) {
            new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, policy: document }, child);
        }
        (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
            new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn }, child);
        });
        return role;
    }
}

/**
 * EKS's access policy for full cluster access. Applying this program creates namespaces,
 * ClusterRoles and CRDs, which no narrower access policy allows (docs.aws.amazon.com/eks, "Review
 * access policy permissions").
 */
export const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * get/list/watch on every resource and no write. A preview reads the live objects it diffs, among
 * them custom resources (ServiceMonitor, PrometheusRule) and the Secrets Helm keeps its release
 * records in, neither of which AmazonEKSViewPolicy covers.
 */
export const CLUSTER_READ_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";

/** One access entry per principal (EKS refuses a second entry for the same role). */
export function accessEntries(
    adminRoleArns: readonly string[],
    access: ClusterAccess,
    tags: Readonly<Record<string, string>>,
): Record<string, eks.types.input.AccessEntryArgs> {
    const entry = (principalArn: string, policyArn: string): eks.types.input.AccessEntryArgs => ({
        principalArn,
        type: eks.AccessEntryType.Standard,
        accessPolicies: { [policyArn === CLUSTER_ADMIN_POLICY_ARN ? "admin" : "read"]: { policyArn, accessScope: { type: "cluster" } } },
        tags,
    });
    return {
        ...Object.fromEntries(adminRoleArns.map((arn, i) => [`admin-${i}`, entry(arn, CLUSTER_ADMIN_POLICY_ARN)])),
        ...(access.deployRoleArn ? { deploy: entry(access.deployRoleArn, CLUSTER_ADMIN_POLICY_ARN) } : {}),
        ...(access.previewRoleArn ? { preview: entry(access.previewRoleArn, CLUSTER_READ_POLICY_ARN) } : {}),
    };
}

function validatePrincipals(adminRoleArns: readonly string[], access: ClusterAccess, resource: pulumi.Resource): void {
    const principals = [...adminRoleArns, access.deployRoleArn, access.previewRoleArn].filter((arn): arn is string => arn !== undefined);
    const repeated = principals.filter((arn, i) => principals.indexOf(arn) !== i);
    if (repeated.length > 0) {
        throw new pulumi.ResourceError(`each role may have one access entry only; listed more than once: ${[...new Set(repeated)].join(", ")}`, resource);
    }
}

function validateNodes(nodes: NodeGroupSizing, resource: pulumi.Resource): void {
    const { min, desired, max } = nodes;
    for (const [key, value] of Object.entries({ min, desired, max })) {
        if (!Number.isInteger(value) || value < 1) {
            throw new pulumi.ResourceError(`nodes.${key} must be a whole number of at least 1, got ${value}`, resource);
        }
    }
    if (!(min <= desired && desired <= max)) {
        throw new pulumi.ResourceError(`nodes must satisfy min <= desired <= max, got min ${min}, desired ${desired}, max ${max}`, resource);
    }
}
