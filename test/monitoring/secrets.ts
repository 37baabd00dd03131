/** How a secret value looks in the inputs the mock runner records (the engine's wire format). */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

export function secret(value: unknown): Record<string, unknown> {
    return { [specialSigKey]: specialSecretSig, value };
}
