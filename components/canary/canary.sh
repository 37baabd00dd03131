#!/usr/bin/env bash
# Data-path canary: one run of the CronJob (components/canary/DataPathCanary.ts).
#   1. Puts one uniquely tagged record on the telemetry stream.
#   2. Looks in the lake for the newest canary Firehose has delivered (objects written within the
#      last LOOKBACK_SECONDS, newest first, stopping at the first that holds a canary).
#   3. Exits 0 only if that canary was sent at most MAX_AGE_SECONDS ago: every record sent earlier
#      than the buffer interval plus the margin must have arrived. kube-state-metrics publishes the
#      CronJob's last successful run, and DataPathCanaryMissing fires when it gets old.
# Needs: bash, date, aws (CLI v2), jq, and gzip or python3 to read Firehose's GZIP objects. Objects
# are streamed, never held whole: one is at most data.delivery.bufferingSizeMb before compression.
# Env: STREAM_NAME, BUCKET, PREFIX (ends with /), ENVIRONMENT, MAX_AGE_SECONDS, LOOKBACK_SECONDS,
#      AWS_REGION; NOW (epoch seconds) only in tests.
set -euo pipefail

now=${NOW:-$(date -u +%s)}
marker="iotPlatformCanarySentAt"

decompress() {
    if command -v gzip >/dev/null; then
        gzip -dc
    else
        python3 -c 'import gzip, shutil, sys; shutil.copyfileobj(gzip.GzipFile(fileobj=sys.stdin.buffer), sys.stdout.buffer)'
    fi
}

# 1. The record: JSON ending with a newline, so consumers can recognise and skip it by its "type".
record=$(printf '{"type":"iot-platform-canary","environment":"%s","%s":%d}' "$ENVIRONMENT" "$marker" "$now")
aws kinesis put-record --stream-name "$STREAM_NAME" --partition-key "canary-${now}-${RANDOM}" \
    --cli-binary-format raw-in-base64-out --data "${record}"$'\n' --output text --query SequenceNumber >/dev/null
echo "sent canary ${marker}=${now} to ${STREAM_NAME}"

# 2. Firehose writes under ${PREFIX}year=YYYY/month=MM/day=DD/hour=HH/ (UTC arrival time), and its
#    object names carry the delivery time, so sorting keys newest first reads the latest data first.
since=$((now - LOOKBACK_SECONDS))
since_iso=$(date -u -d "@${since}" +%Y-%m-%dT%H:%M:%S)
listings=""
for ((hour = since - since % 3600; hour <= now; hour += 3600)); do
    partition="${PREFIX}$(date -u -d "@${hour}" +year=%Y/month=%m/day=%d/hour=%H/)"
    listings+=$(aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$partition" \
        --query "Contents[?LastModified>='${since_iso}'].Key" --output json)
done
mapfile -t keys < <(printf '%s' "$listings" | jq -rs 'map(. // []) | add // [] | sort | reverse | .[]')

newest=""
for key in "${keys[@]}"; do
    # Line by line, never the whole object: records without newlines make long lines, not one huge string.
    found=$(aws s3 cp "s3://${BUCKET}/${key}" - | decompress \
        | jq -nrR --arg m "$marker" '[inputs | scan("\"" + $m + "\":([0-9]+)") | .[0] | tonumber] | max // empty')
    if [[ -n "$found" ]]; then
        newest=$found
        echo "newest delivered canary: ${marker}=${found} in s3://${BUCKET}/${key}"
        break
    fi
done

# 3. The verdict.
if [[ -z "$newest" ]]; then
    echo "FAIL: no canary in the ${#keys[@]} object(s) delivered since ${since_iso}Z; records sent more than ${MAX_AGE_SECONDS}s ago have not reached s3://${BUCKET}/${PREFIX}" >&2
    exit 1
fi
age=$((now - newest))
if ((age > MAX_AGE_SECONDS)); then
    echo "FAIL: the newest delivered canary was sent ${age}s ago; records sent more than ${MAX_AGE_SECONDS}s ago are lost or late" >&2
    exit 1
fi
echo "OK: the newest delivered canary was sent ${age}s ago (limit ${MAX_AGE_SECONDS}s)"
