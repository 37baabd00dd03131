// The price table the cost model uses.
//
// Source: AWS public on-demand list prices (Linux, shared tenancy, USD, excluding tax, free tier and
// any discount) from the AWS pricing pages for EC2, EBS, EKS, VPC (NAT gateway, public IPv4, interface
// endpoints), Elastic Load Balancing, Kinesis Data Streams, Data Firehose, S3, KMS and CloudWatch, as
// known on the `asOf` date below. They are list prices as of that date, not quotes: re-check them
// against https://aws.amazon.com/pricing/ (or the Price List API) when updating, then bump `version`
// and `asOf`. us-east-1, us-east-2 and us-west-2 have identical list prices for every item here, hence
// one shared block. EC2 instance prices are not written here: they come from the instance catalogue
// (instances.ts), which the program's capacity check reads too, so a type cannot be priced without
// being sized or the reverse. Usage tiers: only the first tier is used (first 50 TB of S3, first 500 TB of Firehose), which
// is the most expensive tier and therefore conservative.

import { CatalogueRegion, INSTANCE_CATALOGUE, InstanceCatalogue } from "./instances";

export interface RegionPrices {
    /** EKS control plane, per cluster-hour. */
    eksControlPlaneHour: { standard: number; extended: number };
    /** EC2 on-demand Linux, per instance-hour: the instance catalogue's column for the region. */
    ec2InstanceHour: Readonly<Record<string, number>>;
    /** EBS volume storage, per GB-month, by volume type. */
    ebsGbMonth: Readonly<Record<string, number>>;
    /** Per NAT gateway-hour. Data processing ($/GB) is not modelled: see docs/policy-pack.md, "Cost-estimation assumptions". */
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
    regions: Readonly<Record<string, RegionPrices>>;
}

/** The catalogue's on-demand price of every type in `region`. */
export function ec2Prices(region: CatalogueRegion, catalogue: InstanceCatalogue = INSTANCE_CATALOGUE): Readonly<Record<string, number>> {
    return Object.fromEntries(Object.entries(catalogue.types).map(([type, entry]) => [type, entry.hourlyUsd[region]]));
}

const US_SERVICES: Omit<RegionPrices, "ec2InstanceHour"> = {
    eksControlPlaneHour: { standard: 0.10, extended: 0.60 },
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
    version: "2025.06.2",
    asOf: "2025-06-01",
    source: "AWS public on-demand list prices (Linux, USD) as of 2025-06-01, https://aws.amazon.com/pricing/",
    currency: "USD",
    hoursPerMonth: 730,
    regions: {
        "us-east-1": { ...US_SERVICES, ec2InstanceHour: ec2Prices("us-east-1") },
        "us-east-2": { ...US_SERVICES, ec2InstanceHour: ec2Prices("us-east-2") },
        "us-west-2": { ...US_SERVICES, ec2InstanceHour: ec2Prices("us-west-2") },
    },
};
