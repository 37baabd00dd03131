// The price table the cost model uses.
//
// Source: AWS public on-demand list prices (Linux, shared tenancy, USD, excluding tax, free tier and
// any discount) from the AWS pricing pages for EC2, EBS, EKS, VPC (NAT gateway, public IPv4, interface
// endpoints), Elastic Load Balancing, Kinesis Data Streams, Data Firehose, S3, KMS and CloudWatch, as
// known on the `asOf` date below. They are list prices as of that date, not quotes: re-check them
// against https://aws.amazon.com/pricing/ (or the Price List API) when updating, then bump `version`
// and `asOf`. us-east-1 and us-east-2 have identical list prices for every item here, hence one shared
// block. Usage tiers: only the first tier is used (first 50 TB of S3, first 500 TB of Firehose), which
// is the most expensive tier and therefore conservative.

export interface RegionPrices {
    /** EKS control plane, per cluster-hour. */
    eksControlPlaneHour: { standard: number; extended: number };
    /** EC2 on-demand Linux, per instance-hour. */
    ec2InstanceHour: Readonly<Record<string, number>>;
    /** EBS volume storage, per GB-month, by volume type. */
    ebsGbMonth: Readonly<Record<string, number>>;
    /** Per NAT gateway-hour. Data processing ($/GB) is not modelled: see README.md, "Cost-estimation assumptions". */
    natGatewayHour: number;
    /** Public IPv4 address (Elastic IP), per hour. */
    publicIpv4Hour: number;
    loadBalancerHour: { application: number; network: number };
    /** Interface VPC endpoint, per endpoint per AZ per hour (gateway endpoints are free). */
    interfaceEndpointAzHour: number;
    kinesis: {
        shardHour: number;
        /** Per million PUT payload units (one unit = up to 25 KB of one record). */
        putPayloadUnitsPerMillion: number;
        onDemandStreamHour: number;
        /** On-demand data ingested, per GB (records rounded up to 1 KB). */
        onDemandIngestPerGb: number;
    };
    /** Firehose ingestion, per GB, records rounded up to 5 KB (Direct PUT and Kinesis source). */
    firehoseIngestPerGb: number;
    s3StandardGbMonth: number;
    /** S3 Standard requests, per 1,000: LIST (priced like PUT) and GET. */
    s3RequestsPerThousand: { list: number; get: number };
    kmsKeyMonth: number;
    cloudwatchAlarmMonth: number;
    cloudwatchLogsIngestPerGb: number;
    secretsManagerSecretMonth: number;
}

export interface PriceTable {
    version: string;
    asOf: string;
    source: string;
    currency: "USD";
    hoursPerMonth: number;
    /** Kubernetes versions whose EKS standard support had ended on `asOf` (billed at the extended rate). */
    eksExtendedSupportVersions: readonly string[];
    regions: Readonly<Record<string, RegionPrices>>;
}

const US_EAST: RegionPrices = {
    eksControlPlaneHour: { standard: 0.10, extended: 0.60 },
    ec2InstanceHour: {
        "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
        "m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m5.4xlarge": 0.768,
        "m6i.large": 0.096, "m6i.xlarge": 0.192, "m6i.2xlarge": 0.384, "m6i.4xlarge": 0.768,
        "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032, "m7i.4xlarge": 0.8064,
        "c6i.large": 0.085, "c6i.xlarge": 0.17, "c6i.2xlarge": 0.34,
        "c7i.large": 0.08925, "c7i.xlarge": 0.1785, "c7i.2xlarge": 0.357,
        "r6i.large": 0.126, "r6i.xlarge": 0.252, "r6i.2xlarge": 0.504,
        "m6g.large": 0.077, "m6g.xlarge": 0.154,
        "m7g.large": 0.0816, "m7g.xlarge": 0.1632,
    },
    ebsGbMonth: { gp3: 0.08, gp2: 0.10 },
    natGatewayHour: 0.045,
    publicIpv4Hour: 0.005,
    loadBalancerHour: { application: 0.0225, network: 0.0225 },
    interfaceEndpointAzHour: 0.01,
    kinesis: {
        shardHour: 0.015,
        putPayloadUnitsPerMillion: 0.014,
        onDemandStreamHour: 0.04,
        onDemandIngestPerGb: 0.08,
    },
    firehoseIngestPerGb: 0.029,
    s3StandardGbMonth: 0.023,
    s3RequestsPerThousand: { list: 0.005, get: 0.0004 },
    kmsKeyMonth: 1.0,
    cloudwatchAlarmMonth: 0.10,
    cloudwatchLogsIngestPerGb: 0.50,
    secretsManagerSecretMonth: 0.40,
};

export const PRICE_TABLE: PriceTable = {
    version: "2025.06.1",
    asOf: "2025-06-01",
    source: "AWS public on-demand list prices (Linux, USD) as of 2025-06-01, https://aws.amazon.com/pricing/",
    currency: "USD",
    hoursPerMonth: 730,
    eksExtendedSupportVersions: ["1.26", "1.27", "1.28", "1.29"],
    regions: {
        "us-east-1": US_EAST,
        "us-east-2": US_EAST,
    },
};
