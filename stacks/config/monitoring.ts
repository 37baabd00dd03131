import { z } from "zod";
import { CANARY_INTERVALS } from "../../components/canary/manifests";
import { intBetween, strictObject } from "./schema";

/** Where alerts link to when the stack sets no `monitoring.runbookBaseUrl`. */
export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/example-org/iot-platform/blob/main/docs/runbooks/";

/**
 * Receiver credentials. They are top-level keys so that `pulumi config set --secret <key>` encrypts
 * exactly the credential and nothing else (a secret nested in `monitoring` would make the whole
 * object secret). Each is optional: without them the stack deploys and alerts reach no one.
 */
export const ALERTING_SECRET_KEYS = ["slackWebhookUrl", "pagerdutyRoutingKey", "pagerdutyCloudwatchKey", "pagerdutyToken"] as const;

/**
 * Validated loosely on purpose: the loader's messages quote the bad value, and a credential must
 * never appear in a log; offline tools also hand over a placeholder instead of the decrypted value.
 * "Non-empty, one token" still catches the usual slip (`pulumi config set --secret key ""`).
 */
export const alertingSecret = z
    .string({ error: "must be a string; set it with `pulumi config set --secret`" })
    .regex(/^\S+$/, { error: "must be a single non-empty token; set it with `pulumi config set --secret`" })
    .optional();

const emailAddress = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, { error: "must be an email address like oncall@example.com" });

export const monitoringSchema = strictObject({
    /** Prefix of every alert's runbook_url; the alert name and `.md` are appended. */
    runbookBaseUrl: z
        .string()
        .regex(/^https:\/\/\S+\/$/, { error: "must be an https URL ending with a slash, e.g. https://github.com/<org>/iot-platform/blob/main/docs/runbooks/" })
        .default(DEFAULT_RUNBOOK_BASE_URL),
    prometheus: strictObject({
        /** How long Prometheus keeps samples, as Prometheus writes durations: 15d, 2w, 48h. */
        retention: z.string().regex(/^[1-9]\d*(h|d|w)$/, { error: "must be a duration in hours, days or weeks like 48h, 15d, 2w" }).default("15d"),
        /** gp3 volume for the time series database, GiB. */
        storageGb: intBetween(10, 1000).default(50),
    }).prefault({}),
    alertmanager: strictObject({
        /** Two or more keep alerts flowing while a node drains. */
        replicas: intBetween(1, 5).default(2),
    }).prefault({}),
    /** The data-path canary (docs/incident-response.md). */
    canary: strictObject({
        /** Minutes between canary records; divides the hour. */
        intervalMinutes: z
            .number({ error: `must be one of ${CANARY_INTERVALS.join(", ")}` })
            .refine((v) => (CANARY_INTERVALS as readonly number[]).includes(v), { error: `must be one of ${CANARY_INTERVALS.join(", ")} (minutes that divide the hour)` })
            .default(10),
        /** Minutes a record may take beyond Firehose's buffer interval before it counts as late. */
        marginMinutes: intBetween(1, 60).default(10),
    }).prefault({}),
    alarms: strictObject({
        /** Addresses subscribed to the data-path alarm topic; each must confirm the AWS email once. */
        emails: z.array(emailAddress).max(10, { error: "must list at most 10 addresses; use a mailing list" }).default([]),
    }).prefault({}),
});
