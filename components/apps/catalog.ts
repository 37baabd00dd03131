/** Who talks to whom in a catalog, from each app's `allowFrom`. */
import { ResolvedApp } from "./app";
import { PeerRef } from "./workloadManifests";

export interface AppPeers {
    /** Apps allowed to call this one (its ingress). */
    readonly callers: readonly PeerRef[];
    /** Apps this one calls (its egress). */
    readonly callees: readonly PeerRef[];
}

export const NO_PEERS: AppPeers = { callers: [], callees: [] };

/**
 * Both ends of every declared call: `telemetry-api` allowing `web-app` opens ingress into the API's
 * namespace and egress out of the web app's, because default-deny applies in both directions.
 */
export function resolvePeers(apps: readonly ResolvedApp[]): Map<string, AppPeers> {
    const byName = new Map(apps.map((app) => [app.name, app]));
    const peers = new Map(apps.map((app) => [app.name, { callers: [] as PeerRef[], callees: [] as PeerRef[] }]));
    for (const callee of apps) {
        for (const callerName of callee.allowFrom) {
            const caller = byName.get(callerName);
            if (caller === undefined) {
                throw new Error(`app ${callee.name} allows calls from "${callerName}", which is not in the catalog (${[...byName.keys()].join(", ")})`);
            }
            peers.get(callee.name)!.callers.push({ app: caller.name, namespace: caller.namespace, port: caller.port });
            peers.get(caller.name)!.callees.push({ app: callee.name, namespace: callee.namespace, port: callee.port });
        }
    }
    return peers;
}
