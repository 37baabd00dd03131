/** A valid app entry to start each case from; a test changes one field. */
import { AppSpec } from "../../components/apps/app";

export function sampleApp(): AppSpec {
    return {
        name: "telemetry-api",
        namespace: "api",
        image: { repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/iot/telemetry-api", tag: "3.0.1" },
        port: 8080,
        dataAccess: ["readLake"],
        allowFrom: ["web-app"],
        replicas: { min: 3, max: 6 },
        resources: { cpuMillis: 500, memoryMiB: 1024, memoryLimitMiB: 2048 },
        requestTimeoutSeconds: 300,
        scratchMiB: 2048,
    };
}

/** The VPC range the sample resolves against (prod's). */
export const SAMPLE_VPC_CIDR = "10.20.0.0/16";
