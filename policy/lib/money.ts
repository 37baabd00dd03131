/** The one money format of the pack's messages and the check's reports: `$1,234.56`, `-$5.00`. */
export function formatUsd(n: number): string {
    const abs = Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    // A value that rounds to zero cents prints without a sign, never as "-$0.00".
    return n < 0 && abs !== "0.00" ? `-$${abs}` : `$${abs}`;
}
