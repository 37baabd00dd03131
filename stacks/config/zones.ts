/** The availability zones a stack may use: the account's, in the region, checked before anything is built. */
import * as aws from "@pulumi/aws";
import { Problem } from "./schema";
import { ZONE_ID, ZONE_NAME } from "./network";

export interface AvailabilityZone {
    /** us-east-1a: what subnets and node groups are placed by; the letter maps to a different zone in each account. */
    readonly name: string;
    /** use1-az1: the same physical zone in every account. */
    readonly zoneId: string;
}

/**
 * The region's availability zones as the deploying account sees them. Local and Wavelength Zones are
 * left out: the network puts a NAT gateway and EKS subnets in each zone, which those zones do not offer.
 */
export async function accountAvailabilityZones(region: string): Promise<AvailabilityZone[]> {
    const result = await aws.getAvailabilityZones({ region, filters: [{ name: "zone-type", values: ["availability-zone"] }] });
    // The provider fills `names` and `zoneIds` from the same list of zones, in the same order.
    return result.names.map((name, i) => ({ name, zoneId: result.zoneIds[i] }));
}

/**
 * Checks each configured zone (a name or an ID; entries that failed the schema are undefined) against
 * the region and, when known, the account's zones. Returns the zones as names, and the problems.
 */
export function resolveZones(
    entries: readonly (string | undefined)[], region: string, zones: readonly AvailabilityZone[] | undefined,
): { names: (string | undefined)[]; problems: Problem[] } {
    const problems: Problem[] = [];
    const offered = zones === undefined ? "" : `; the account has ${zones.map((z) => `${z.name} (${z.zoneId})`).join(", ")}`;
    const names = entries.map((entry, i) => {
        if (entry === undefined) {
            return undefined;
        }
        const path = ["network", "availabilityZones", i];
        const nameMatch = ZONE_NAME.exec(entry);
        if (nameMatch && nameMatch[1] !== region) {
            problems.push({ path, message: `"${entry}" is a zone of ${nameMatch[1]}, not of aws:region ${region}; list zones such as ${region}a${offered}` });
            return undefined;
        }
        if (zones === undefined) {
            return nameMatch ? entry : undefined;
        }
        const found = nameMatch ? zones.find((z) => z.name === entry) : ZONE_ID.test(entry) ? zones.find((z) => z.zoneId === entry) : undefined;
        if (found === undefined) {
            problems.push({ path, message: `"${entry}" is not an availability zone ${nameMatch ? "name" : "ID"} of aws:region ${region} for this account${offered}` });
            return undefined;
        }
        return found.name;
    });
    names.forEach((name, i) => {
        const first = names.indexOf(name);
        if (name !== undefined && first < i && entries[first] !== entries[i]) {
            problems.push({ path: ["network", "availabilityZones", i], message: `"${entries[i]}" is ${name}, already listed as "${entries[first]}"; list each zone once` });
        }
    });
    return { names, problems };
}
