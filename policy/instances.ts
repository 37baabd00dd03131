// The instance catalogue: the one table of EC2 instance types that both the program (the app
// catalog's capacity check, the node group's AMI type) and this pack (prices, node capacity) read.
// A type or region missing here is an error wherever it is used, never a zero.
//
// It lives in the pack because the Pulumi CLI loads the pack from policy/ alone (its own
// package.json and tsconfig, and `pulumi policy publish` uploads only this folder), so the pack
// cannot import the program; the program imports this file instead.
//
// Sources, per field:
// - enis, ipv4PerEni: awslabs/amazon-eks-ami v20260724, nodeadm/internal/kubelet/instance-info.jsonl
//   (defaultMaxENIs, ipv4AddressesPerInterface), the table nodeadm reads on AL2023 nodes.
// - maxPods: derived, ENIs x (IPv4 per ENI - 1) + 2, as nodeadm's calculateStandardMaxPods
//   (nodeadm/internal/kubelet/eni_max_pods.go, same tag) and eni-max-pods.txt compute it: the VPC
//   CNI's limit without prefix delegation.
// - kubeReserved: derived, nodeadm's getCPUMillicoresToReserve / getMemoryMebibytesToReserve
//   (nodeadm/internal/kubelet/config.go, same tag); evictionHard memory.available 100Mi from the same file.
// - vcpu, memoryMiB: the EC2 instance type specifications (docs.aws.amazon.com/ec2/latest/instancetypes):
//   large = 2 vCPUs; m* 4 GiB, c* 2 GiB, r* 8 GiB per vCPU; t3/t4g medium 2 vCPUs 4 GiB, large 2/8,
//   xlarge 4/16, 2xlarge 8/32. Not machine-checked here (no AWS API offline).
// - hourlyUsd: AWS public on-demand list prices, Linux, shared tenancy, USD, as known on `asOf`,
//   written down from knowledge without access to the Price List API (no internet when compiled).
//   us-east-1, us-east-2 and us-west-2 share list prices for these families. Within a family the
//   price doubles with each size (AWS prices these families linearly), so each row is the family's
//   large (t3/t4g: medium) price times the size. The eu-west-1 and eu-central-1 prices of m7i, m6a,
//   m7a, m7g, c7i, c7g, r7i and r7g are the least certain (estimated from the family's ratio to its
//   predecessor in us-east-1): check them before relying on an EU figure.
// Update: `aws pricing get-products --service-code AmazonEC2 --region us-east-1 --filters
// Type=TERM_MATCH,Field=instanceType,Value=<type> Type=TERM_MATCH,Field=regionCode,Value=<region>
// Type=TERM_MATCH,Field=operatingSystem,Value=Linux Type=TERM_MATCH,Field=tenancy,Value=Shared
// Type=TERM_MATCH,Field=preInstalledSw,Value=NA Type=TERM_MATCH,Field=capacitystatus,Value=Used`,
// then bump `version` and `asOf`.

export const CATALOGUE_REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"] as const;
export type CatalogueRegion = (typeof CATALOGUE_REGIONS)[number];

export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface InstanceTypeEntry {
    readonly vcpu: number;
    /** Nominal memory as EC2 sells it. */
    readonly memoryMiB: number;
    readonly architecture: Architecture;
    /** ENIs on the default network card. */
    readonly enis: number;
    /** IPv4 addresses per ENI, the primary one included. */
    readonly ipv4PerEni: number;
    /** On-demand Linux price per instance-hour; every catalogue region, by construction. */
    readonly hourlyUsd: Readonly<Record<CatalogueRegion, number>>;
}

export interface InstanceCatalogue {
    readonly version: string;
    readonly asOf: string;
    readonly sources: readonly string[];
    readonly types: Readonly<Record<string, InstanceTypeEntry>>;
}

export const INSTANCE_CATALOGUE: InstanceCatalogue = {
    version: "2025.06.2",
    asOf: "2025-06-01",
    sources: [
        "awslabs/amazon-eks-ami v20260724 nodeadm/internal/kubelet/instance-info.jsonl (ENIs, IPv4 per ENI)",
        "awslabs/amazon-eks-ami v20260724 nodeadm/internal/kubelet/{eni_max_pods.go,config.go} (max pods, kube-reserved, eviction)",
        "EC2 instance type specifications, docs.aws.amazon.com/ec2/latest/instancetypes (vCPUs, memory)",
        "AWS on-demand list prices (Linux, shared tenancy, USD) as known on 2025-06-01, https://aws.amazon.com/ec2/pricing/on-demand/ (not fetched: see the note on hourlyUsd)",
    ],
    types: {
        "t3.medium": { vcpu: 2, memoryMiB: 4096, architecture: "x86_64", enis: 3, ipv4PerEni: 6,
            hourlyUsd: { "us-east-1": 0.0416, "us-east-2": 0.0416, "us-west-2": 0.0416, "eu-west-1": 0.0456, "eu-central-1": 0.048 } },
        "t3.large": { vcpu: 2, memoryMiB: 8192, architecture: "x86_64", enis: 3, ipv4PerEni: 12,
            hourlyUsd: { "us-east-1": 0.0832, "us-east-2": 0.0832, "us-west-2": 0.0832, "eu-west-1": 0.0912, "eu-central-1": 0.096 } },
        "t3.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.1664, "us-east-2": 0.1664, "us-west-2": 0.1664, "eu-west-1": 0.1824, "eu-central-1": 0.192 } },
        "t3.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.3328, "us-east-2": 0.3328, "us-west-2": 0.3328, "eu-west-1": 0.3648, "eu-central-1": 0.384 } },
        "t4g.medium": { vcpu: 2, memoryMiB: 4096, architecture: "arm64", enis: 3, ipv4PerEni: 6,
            hourlyUsd: { "us-east-1": 0.0336, "us-east-2": 0.0336, "us-west-2": 0.0336, "eu-west-1": 0.0368, "eu-central-1": 0.0384 } },
        "t4g.large": { vcpu: 2, memoryMiB: 8192, architecture: "arm64", enis: 3, ipv4PerEni: 12,
            hourlyUsd: { "us-east-1": 0.0672, "us-east-2": 0.0672, "us-west-2": 0.0672, "eu-west-1": 0.0736, "eu-central-1": 0.0768 } },
        "t4g.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.1344, "us-east-2": 0.1344, "us-west-2": 0.1344, "eu-west-1": 0.1472, "eu-central-1": 0.1536 } },
        "t4g.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.2688, "us-east-2": 0.2688, "us-west-2": 0.2688, "eu-west-1": 0.2944, "eu-central-1": 0.3072 } },
        "m6i.large": { vcpu: 2, memoryMiB: 8192, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.096, "us-east-2": 0.096, "us-west-2": 0.096, "eu-west-1": 0.107, "eu-central-1": 0.115 } },
        "m6i.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.192, "us-east-2": 0.192, "us-west-2": 0.192, "eu-west-1": 0.214, "eu-central-1": 0.23 } },
        "m6i.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.384, "us-east-2": 0.384, "us-west-2": 0.384, "eu-west-1": 0.428, "eu-central-1": 0.46 } },
        "m6i.4xlarge": { vcpu: 16, memoryMiB: 65536, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.768, "us-east-2": 0.768, "us-west-2": 0.768, "eu-west-1": 0.856, "eu-central-1": 0.92 } },
        "m7i.large": { vcpu: 2, memoryMiB: 8192, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.1008, "us-east-2": 0.1008, "us-west-2": 0.1008, "eu-west-1": 0.1124, "eu-central-1": 0.1208 } },
        "m7i.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.2016, "us-east-2": 0.2016, "us-west-2": 0.2016, "eu-west-1": 0.2248, "eu-central-1": 0.2416 } },
        "m7i.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.4032, "us-east-2": 0.4032, "us-west-2": 0.4032, "eu-west-1": 0.4496, "eu-central-1": 0.4832 } },
        "m7i.4xlarge": { vcpu: 16, memoryMiB: 65536, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.8064, "us-east-2": 0.8064, "us-west-2": 0.8064, "eu-west-1": 0.8992, "eu-central-1": 0.9664 } },
        "m6a.large": { vcpu: 2, memoryMiB: 8192, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.0864, "us-east-2": 0.0864, "us-west-2": 0.0864, "eu-west-1": 0.0963, "eu-central-1": 0.1035 } },
        "m6a.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.1728, "us-east-2": 0.1728, "us-west-2": 0.1728, "eu-west-1": 0.1926, "eu-central-1": 0.207 } },
        "m6a.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.3456, "us-east-2": 0.3456, "us-west-2": 0.3456, "eu-west-1": 0.3852, "eu-central-1": 0.414 } },
        "m6a.4xlarge": { vcpu: 16, memoryMiB: 65536, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.6912, "us-east-2": 0.6912, "us-west-2": 0.6912, "eu-west-1": 0.7704, "eu-central-1": 0.828 } },
        "m7a.large": { vcpu: 2, memoryMiB: 8192, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.11592, "us-east-2": 0.11592, "us-west-2": 0.11592, "eu-west-1": 0.1292, "eu-central-1": 0.1389 } },
        "m7a.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.23184, "us-east-2": 0.23184, "us-west-2": 0.23184, "eu-west-1": 0.2584, "eu-central-1": 0.2778 } },
        "m7a.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.46368, "us-east-2": 0.46368, "us-west-2": 0.46368, "eu-west-1": 0.5168, "eu-central-1": 0.5556 } },
        "m7a.4xlarge": { vcpu: 16, memoryMiB: 65536, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.92736, "us-east-2": 0.92736, "us-west-2": 0.92736, "eu-west-1": 1.0336, "eu-central-1": 1.1112 } },
        "m6g.large": { vcpu: 2, memoryMiB: 8192, architecture: "arm64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.077, "us-east-2": 0.077, "us-west-2": 0.077, "eu-west-1": 0.086, "eu-central-1": 0.092 } },
        "m6g.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.154, "us-east-2": 0.154, "us-west-2": 0.154, "eu-west-1": 0.172, "eu-central-1": 0.184 } },
        "m6g.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.308, "us-east-2": 0.308, "us-west-2": 0.308, "eu-west-1": 0.344, "eu-central-1": 0.368 } },
        "m6g.4xlarge": { vcpu: 16, memoryMiB: 65536, architecture: "arm64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.616, "us-east-2": 0.616, "us-west-2": 0.616, "eu-west-1": 0.688, "eu-central-1": 0.736 } },
        "m7g.large": { vcpu: 2, memoryMiB: 8192, architecture: "arm64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.0816, "us-east-2": 0.0816, "us-west-2": 0.0816, "eu-west-1": 0.0911, "eu-central-1": 0.0975 } },
        "m7g.xlarge": { vcpu: 4, memoryMiB: 16384, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.1632, "us-east-2": 0.1632, "us-west-2": 0.1632, "eu-west-1": 0.1822, "eu-central-1": 0.195 } },
        "m7g.2xlarge": { vcpu: 8, memoryMiB: 32768, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.3264, "us-east-2": 0.3264, "us-west-2": 0.3264, "eu-west-1": 0.3644, "eu-central-1": 0.39 } },
        "m7g.4xlarge": { vcpu: 16, memoryMiB: 65536, architecture: "arm64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.6528, "us-east-2": 0.6528, "us-west-2": 0.6528, "eu-west-1": 0.7288, "eu-central-1": 0.78 } },
        "c6i.large": { vcpu: 2, memoryMiB: 4096, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.085, "us-east-2": 0.085, "us-west-2": 0.085, "eu-west-1": 0.096, "eu-central-1": 0.097 } },
        "c6i.xlarge": { vcpu: 4, memoryMiB: 8192, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.17, "us-east-2": 0.17, "us-west-2": 0.17, "eu-west-1": 0.192, "eu-central-1": 0.194 } },
        "c6i.2xlarge": { vcpu: 8, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.34, "us-east-2": 0.34, "us-west-2": 0.34, "eu-west-1": 0.384, "eu-central-1": 0.388 } },
        "c6i.4xlarge": { vcpu: 16, memoryMiB: 32768, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.68, "us-east-2": 0.68, "us-west-2": 0.68, "eu-west-1": 0.768, "eu-central-1": 0.776 } },
        "c7i.large": { vcpu: 2, memoryMiB: 4096, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.08925, "us-east-2": 0.08925, "us-west-2": 0.08925, "eu-west-1": 0.1008, "eu-central-1": 0.10185 } },
        "c7i.xlarge": { vcpu: 4, memoryMiB: 8192, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.1785, "us-east-2": 0.1785, "us-west-2": 0.1785, "eu-west-1": 0.2016, "eu-central-1": 0.2037 } },
        "c7i.2xlarge": { vcpu: 8, memoryMiB: 16384, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.357, "us-east-2": 0.357, "us-west-2": 0.357, "eu-west-1": 0.4032, "eu-central-1": 0.4074 } },
        "c7i.4xlarge": { vcpu: 16, memoryMiB: 32768, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.714, "us-east-2": 0.714, "us-west-2": 0.714, "eu-west-1": 0.8064, "eu-central-1": 0.8148 } },
        "c7g.large": { vcpu: 2, memoryMiB: 4096, architecture: "arm64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.0725, "us-east-2": 0.0725, "us-west-2": 0.0725, "eu-west-1": 0.0819, "eu-central-1": 0.0827 } },
        "c7g.xlarge": { vcpu: 4, memoryMiB: 8192, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.145, "us-east-2": 0.145, "us-west-2": 0.145, "eu-west-1": 0.1638, "eu-central-1": 0.1654 } },
        "c7g.2xlarge": { vcpu: 8, memoryMiB: 16384, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.29, "us-east-2": 0.29, "us-west-2": 0.29, "eu-west-1": 0.3276, "eu-central-1": 0.3308 } },
        "c7g.4xlarge": { vcpu: 16, memoryMiB: 32768, architecture: "arm64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.58, "us-east-2": 0.58, "us-west-2": 0.58, "eu-west-1": 0.6552, "eu-central-1": 0.6616 } },
        "r6i.large": { vcpu: 2, memoryMiB: 16384, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.126, "us-east-2": 0.126, "us-west-2": 0.126, "eu-west-1": 0.141, "eu-central-1": 0.152 } },
        "r6i.xlarge": { vcpu: 4, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.252, "us-east-2": 0.252, "us-west-2": 0.252, "eu-west-1": 0.282, "eu-central-1": 0.304 } },
        "r6i.2xlarge": { vcpu: 8, memoryMiB: 65536, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.504, "us-east-2": 0.504, "us-west-2": 0.504, "eu-west-1": 0.564, "eu-central-1": 0.608 } },
        "r6i.4xlarge": { vcpu: 16, memoryMiB: 131072, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 1.008, "us-east-2": 1.008, "us-west-2": 1.008, "eu-west-1": 1.128, "eu-central-1": 1.216 } },
        "r7i.large": { vcpu: 2, memoryMiB: 16384, architecture: "x86_64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.1323, "us-east-2": 0.1323, "us-west-2": 0.1323, "eu-west-1": 0.14805, "eu-central-1": 0.1596 } },
        "r7i.xlarge": { vcpu: 4, memoryMiB: 32768, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.2646, "us-east-2": 0.2646, "us-west-2": 0.2646, "eu-west-1": 0.2961, "eu-central-1": 0.3192 } },
        "r7i.2xlarge": { vcpu: 8, memoryMiB: 65536, architecture: "x86_64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.5292, "us-east-2": 0.5292, "us-west-2": 0.5292, "eu-west-1": 0.5922, "eu-central-1": 0.6384 } },
        "r7i.4xlarge": { vcpu: 16, memoryMiB: 131072, architecture: "x86_64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 1.0584, "us-east-2": 1.0584, "us-west-2": 1.0584, "eu-west-1": 1.1844, "eu-central-1": 1.2768 } },
        "r7g.large": { vcpu: 2, memoryMiB: 16384, architecture: "arm64", enis: 3, ipv4PerEni: 10,
            hourlyUsd: { "us-east-1": 0.1071, "us-east-2": 0.1071, "us-west-2": 0.1071, "eu-west-1": 0.11985, "eu-central-1": 0.1292 } },
        "r7g.xlarge": { vcpu: 4, memoryMiB: 32768, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.2142, "us-east-2": 0.2142, "us-west-2": 0.2142, "eu-west-1": 0.2397, "eu-central-1": 0.2584 } },
        "r7g.2xlarge": { vcpu: 8, memoryMiB: 65536, architecture: "arm64", enis: 4, ipv4PerEni: 15,
            hourlyUsd: { "us-east-1": 0.4284, "us-east-2": 0.4284, "us-west-2": 0.4284, "eu-west-1": 0.4794, "eu-central-1": 0.5168 } },
        "r7g.4xlarge": { vcpu: 16, memoryMiB: 131072, architecture: "arm64", enis: 8, ipv4PerEni: 30,
            hourlyUsd: { "us-east-1": 0.8568, "us-east-2": 0.8568, "us-west-2": 0.8568, "eu-west-1": 0.9588, "eu-central-1": 1.0336 } },
    },
};

/** A type of the catalogue, or undefined: callers turn that into an error naming their key. */
export function instanceType(type: string, catalogue: InstanceCatalogue = INSTANCE_CATALOGUE): InstanceTypeEntry | undefined {
    return Object.prototype.hasOwnProperty.call(catalogue.types, type) ? catalogue.types[type] : undefined;
}

export function isCatalogueRegion(region: string): region is CatalogueRegion {
    return (CATALOGUE_REGIONS as readonly string[]).includes(region);
}

/** Pods the kubelet admits: the VPC CNI's IP limit without prefix delegation (nodeadm calculateStandardMaxPods). */
export function maxPods(entry: InstanceTypeEntry): number {
    return entry.enis * (entry.ipv4PerEni - 1) + 2;
}

export interface Resources {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
}

/** CPU tiers of nodeadm's getCPUMillicoresToReserve: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above. */
const CPU_RESERVE_TIERS: readonly { readonly upToMillis: number; readonly basisPoints: number }[] = [
    { upToMillis: 1000, basisPoints: 600 },
    { upToMillis: 2000, basisPoints: 100 },
    { upToMillis: 4000, basisPoints: 50 },
    { upToMillis: Infinity, basisPoints: 25 },
];

/** kube-reserved as AL2023's nodeadm sets it: CPU by the tiers above, memory 11 MiB per pod + 255 MiB. */
export function kubeReserved(entry: InstanceTypeEntry): Resources {
    const total = entry.vcpu * 1000;
    let from = 0;
    let cpuMillis = 0;
    for (const tier of CPU_RESERVE_TIERS) {
        if (total > from) {
            // Integer division, as nodeadm does it.
            cpuMillis += Math.floor(((Math.min(total, tier.upToMillis) - from) * tier.basisPoints) / 10000);
        }
        from = tier.upToMillis;
    }
    return { cpuMillis, memoryMiB: 11 * maxPods(entry) + 255 };
}

/** kubelet `evictionHard: memory.available<100Mi` (nodeadm's default kubelet config). */
export const EVICTION_MEMORY_MIB = 100;

/**
 * The EKS-optimised AL2023 AMI type a managed node group of this architecture runs (EKS API
 * Nodegroup.amiType; @pulumi/eks 4.3.0 AmiType enum). AL2 has no AMIs for Kubernetes 1.33+.
 */
export const AL2023_AMI_TYPES: Readonly<Record<Architecture, string>> = {
    x86_64: "AL2023_x86_64_STANDARD",
    arm64: "AL2023_ARM_64_STANDARD",
};
