#!/usr/bin/env node
// A stand-in for the AWS CLI v2, for running components/canary/canary.sh offline. It serves the lake
// from $FAKE_LAKE (one file per object key, its mtime as LastModified), records put-record calls in
// $FAKE_LAKE/.puts, and fails every call with AccessDenied when $FAKE_DENY is set.
const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
const lake = process.env.FAKE_LAKE;
const option = (name) => args[args.indexOf(name) + 1];
if (process.env.FAKE_DENY) {
    process.stderr.write("An error occurred (AccessDenied) when calling the operation: User is not authorized\n");
    process.exit(254);
}
const command = `${args[0]} ${args[1]}`;
if (command === "kinesis put-record") {
    fs.appendFileSync(path.join(lake, ".puts"), JSON.stringify({ stream: option("--stream-name"), data: option("--data") }) + "\n");
    process.stdout.write("49590338271490256608559692538361571095921575989136588898\n");
} else if (command === "s3api list-objects-v2") {
    const prefix = option("--prefix");
    const since = /LastModified>='([^']+)'/.exec(option("--query"))[1];
    const dir = path.join(lake, prefix);
    const keys = fs.existsSync(dir) ? fs.readdirSync(dir)
        .filter((f) => fs.statSync(path.join(dir, f)).mtime.toISOString().slice(0, 19) >= since)
        .map((f) => prefix + f) : [];
    // The CLI prints null for a query over a listing without Contents.
    process.stdout.write(keys.length > 0 ? JSON.stringify(keys) : "null");
} else if (command === "s3 cp") {
    const key = args[2].replace(/^s3:\/\/[^/]+\//, "");
    process.stdout.write(fs.readFileSync(path.join(lake, key)));
} else {
    process.stderr.write(`fake aws: unexpected call ${args.join(" ")}\n`);
    process.exit(2);
}
