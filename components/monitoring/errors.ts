import * as pulumi from "@pulumi/pulumi";

/** Runs a pure builder, reporting its validation error against the component being built. */
export function asResourceError<T>(resource: pulumi.Resource, build: () => T): T {
    try {
        return build();
    } catch (e) {
        throw new pulumi.ResourceError((e as Error).message, resource);
    }
}
