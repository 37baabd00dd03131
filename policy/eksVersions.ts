// The Amazon EKS Kubernetes release calendar: when each version leaves standard support (from then a
// cluster on it bills at the extended-support rate, with the default EXTENDED upgrade policy) and when
// extended support ends (EKS then creates no new cluster on it and upgrades existing control planes
// itself). Dates are UTC days; AWS bills extended support from the start of the end-of-standard day.
//
// Sources: the EKS user guide's release calendar (awsdocs/amazon-eks-user-guide,
// latest/ug/versioning/kubernetes-versions.adoc, 1.27-1.33); 1.34 and 1.35 from endoflife.date/amazon-eks,
// which mirrors the same table after the copy of the guide we could read. Add a row when EKS releases a
// version (`aws eks describe-cluster-versions` gives both dates) and before a stack may pin it.

export interface EksVersionDates {
    /** First day billed at the extended-support rate. */
    readonly standardSupportEnds: string;
    /** First day EKS no longer supports the version at all. */
    readonly extendedSupportEnds: string;
}

export const EKS_VERSION_CALENDAR: Readonly<Record<string, EksVersionDates>> = {
    "1.27": { standardSupportEnds: "2024-07-24", extendedSupportEnds: "2025-07-24" },
    "1.28": { standardSupportEnds: "2024-11-26", extendedSupportEnds: "2025-11-26" },
    "1.29": { standardSupportEnds: "2025-03-23", extendedSupportEnds: "2026-03-23" },
    "1.30": { standardSupportEnds: "2025-07-23", extendedSupportEnds: "2026-07-23" },
    "1.31": { standardSupportEnds: "2025-11-26", extendedSupportEnds: "2026-11-26" },
    "1.32": { standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23" },
    "1.33": { standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
    "1.34": { standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
    "1.35": { standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
};

export type EksSupport =
    | { readonly phase: "standard" | "extended" | "ended"; readonly dates: EksVersionDates }
    /** Not in the calendar: newer than this table, or malformed. */
    | { readonly phase: "unknown" };

/** The support phase of `version` on `day` (its UTC date counts). */
export function eksSupportOn(version: string, day: Date): EksSupport {
    const dates = EKS_VERSION_CALENDAR[version];
    if (dates === undefined) {
        return { phase: "unknown" };
    }
    const today = day.toISOString().slice(0, 10);
    const phase = today >= dates.extendedSupportEnds ? "ended" : today >= dates.standardSupportEnds ? "extended" : "standard";
    return { phase, dates };
}

/** Whole days from `day` (UTC) to `date` (YYYY-MM-DD); negative once it has passed. */
export function daysUntil(date: string, day: Date): number {
    const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    return Math.round((Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000);
}
