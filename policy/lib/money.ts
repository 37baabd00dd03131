/**
 * The one money format of the pack's messages and the offline check's reports: US dollars with
 * thousands separators and cents, e.g. "$1,827.21" and "-$5.00". Plain TypeScript with no imports,
 * so the pack (run by the Pulumi CLI from policy/) and the tools outside it load the same code.
 */

/** `n` rounded half away from zero to whole cents; -0 becomes 0. */
export function roundCents(n: number): number {
    // Scaling by 100 alone turns 1.005 into 100.49999999999999; the EPSILON nudge keeps such halves up.
    const cents = Math.round((Math.abs(n) * 100) * (1 + Number.EPSILON));
    return cents === 0 ? 0 : Math.sign(n) * cents / 100;
}

/** "$1,827.21"; negative amounts as "-$5.00"; NaN (a budget the config lacks) as "$NaN", so it shows. */
export function formatUsd(n: number): string {
    if (!Number.isFinite(n)) {
        return `$${n}`;
    }
    const cents = roundCents(n);
    const digits = Math.abs(cents).toFixed(2);
    const [whole, fraction] = digits.split(".");
    return `${cents < 0 ? "-" : ""}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}
