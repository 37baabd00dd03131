/**
 * The lake's storage classes and what S3 bills for them. An object that leaves a class (a later
 * transition, or expiry) before its minimum storage duration is still billed for the whole minimum,
 * so a class the lifecycle leaves sooner costs more than staying where the object was.
 */

/**
 * Days S3 bills an object in a class at least ("Comparing the Amazon S3 storage classes",
 * docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html#sc-compare).
 */
export const MINIMUM_STORAGE_DAYS = { STANDARD_IA: 30, GLACIER_IR: 90 } as const;

export type LakeStorageClass = keyof typeof MINIMUM_STORAGE_DAYS;

export interface LakeTiering {
    readonly infrequentAccessAfterDays: number;
    readonly glacierAfterDays: number;
    readonly expireAfterDays: number;
}

export interface ShortStay {
    readonly storageClass: LakeStorageClass;
    /** The age that moves objects into the class. */
    readonly enteredBy: "infrequentAccessAfterDays" | "glacierAfterDays";
    /** The age that takes them out again. */
    readonly leftBy: "glacierAfterDays" | "expireAfterDays";
    readonly days: number;
    readonly minimumDays: number;
}

/** Each class objects would leave before S3 stops billing its minimum. */
export function shortStays(tiering: LakeTiering): ShortStay[] {
    const stays: ShortStay[] = [
        {
            storageClass: "STANDARD_IA", enteredBy: "infrequentAccessAfterDays", leftBy: "glacierAfterDays",
            days: tiering.glacierAfterDays - tiering.infrequentAccessAfterDays, minimumDays: MINIMUM_STORAGE_DAYS.STANDARD_IA,
        },
        {
            storageClass: "GLACIER_IR", enteredBy: "glacierAfterDays", leftBy: "expireAfterDays",
            days: tiering.expireAfterDays - tiering.glacierAfterDays, minimumDays: MINIMUM_STORAGE_DAYS.GLACIER_IR,
        },
    ];
    return stays.filter((stay) => stay.days < stay.minimumDays);
}

export function describeShortStay(stay: ShortStay, tiering: LakeTiering): string {
    return `objects would spend ${stay.days} days in ${stay.storageClass} (${stay.enteredBy} ${tiering[stay.enteredBy]} to ` +
        `${stay.leftBy} ${tiering[stay.leftBy]}), which S3 bills for at least ${stay.minimumDays}: ` +
        `make ${stay.leftBy} at least ${tiering[stay.enteredBy] + stay.minimumDays}, or ${stay.enteredBy} at most ${tiering[stay.leftBy] - stay.minimumDays}`;
}
