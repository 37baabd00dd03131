/** IPv4 CIDR arithmetic for subnet planning: plain functions, no Pulumi. */

export interface Ipv4Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly base: number;
    readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined for anything that is not a canonical IPv4 CIDR (host bits set included). */
export function parseCidr(text: string): Ipv4Cidr | undefined {
    const match = CIDR_PATTERN.exec(text);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % blockSize(prefix) !== 0) {
        return undefined;
    }
    return { base, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
    return `${octets.join(".")}/${cidr.prefix}`;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/** The `index`-th block of length `prefix` inside `parent`. */
export function subnetAt(parent: Ipv4Cidr, prefix: number, index: number): Ipv4Cidr {
    if (prefix < parent.prefix || prefix > 32) {
        throw new Error(`cannot carve a /${prefix} out of ${formatCidr(parent)}`);
    }
    const count = 2 ** (prefix - parent.prefix);
    if (index < 0 || index >= count) {
        throw new Error(`${formatCidr(parent)} holds ${count} blocks of /${prefix}; index ${index} is out of range`);
    }
    return { base: parent.base + index * blockSize(prefix), prefix };
}

export interface SubnetPlan {
    readonly availabilityZone: string;
    readonly publicCidr: string;
    readonly privateCidr: string;
}

/**
 * Private subnets take /(n+3) blocks from the first half of the VPC range: they hold the nodes and,
 * with the VPC CNI, every pod IP, so they get the space. Public subnets only hold NAT gateways and
 * load balancers and take /(n+6) blocks from the second half, which leaves room to add AZs later
 * without renumbering existing subnets.
 */
export function planSubnets(vpcCidr: string, availabilityZones: readonly string[]): SubnetPlan[] {
    const vpc = parseCidr(vpcCidr);
    if (!vpc) {
        throw new Error(`"${vpcCidr}" is not a valid IPv4 CIDR`);
    }
    if (vpc.prefix > MAX_VPC_PREFIX) {
        throw new Error(`VPC range ${vpcCidr} is smaller than /${MAX_VPC_PREFIX}: too small for pod IPs`);
    }
    if (availabilityZones.length > MAX_AZS) {
        throw new Error(`at most ${MAX_AZS} availability zones fit the subnet plan, got ${availabilityZones.length}`);
    }
    const publicOffset = 2 ** 5; // the first /(n+6) block of the second half
    return availabilityZones.map((az, i) => ({
        availabilityZone: az,
        privateCidr: formatCidr(subnetAt(vpc, vpc.prefix + 3, i)),
        publicCidr: formatCidr(subnetAt(vpc, vpc.prefix + 6, publicOffset + i)),
    }));
}

/** Largest VPC prefix (smallest range) the plan accepts: a /20 still gives /23 private subnets. */
export const MAX_VPC_PREFIX = 20;
/** The VPC range is split for at most four zones (half the space, /(n+3) each). */
export const MAX_AZS = 4;

function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}
