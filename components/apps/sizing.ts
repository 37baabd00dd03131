/** Numbers derived from an app entry: namespace quota, disruption budget, shutdown timing. */
import { ResolvedApp } from "./app";
import { NamespaceQuota } from "./namespaceManifests";

/**
 * Rolling updates add one pod at a time (maxSurge 1, maxUnavailable 0), so the namespace must hold
 * max replicas plus one surge pod; the quota stops a runaway HPA or a stray Deployment from taking
 * more than the capacity check counted.
 */
export const ROLLOUT_SURGE = 1;

export function quotaFor(app: ResolvedApp): NamespaceQuota {
    const pods = app.replicas.max + ROLLOUT_SURGE;
    return {
        cpuMillis: pods * app.resources.cpuMillis,
        memoryMiB: pods * app.resources.memoryMiB,
        memoryLimitMiB: pods * app.resources.memoryLimitMiB,
        pods,
        // The app's own Service, internal or public; nothing else in the namespace may open one.
        loadBalancers: app.exposure === "cluster" ? 0 : 1,
    };
}

/**
 * minAvailable one below the HPA minimum: a node drain or a scale-down of the cluster can always
 * evict one pod, and never more than the app can spare at its smallest.
 */
export function minAvailableFor(app: ResolvedApp): number {
    return app.replicas.min - 1;
}

/**
 * Seconds the preStop hook waits before the app sees SIGTERM: long enough for the endpoint removal
 * to reach kube-proxy and the load balancer, so no new request lands on a stopping pod.
 */
export const PRE_STOP_SECONDS = 10;
/** Time to close connections and flush after the last request. */
export const SHUTDOWN_MARGIN_SECONDS = 5;

export interface Shutdown {
    readonly preStopSeconds: number;
    /** preStop + the longest request + margin: an in-flight large fetch finishes before SIGKILL. */
    readonly terminationGracePeriodSeconds: number;
}

export function shutdownFor(app: ResolvedApp): Shutdown {
    return {
        preStopSeconds: PRE_STOP_SECONDS,
        terminationGracePeriodSeconds: PRE_STOP_SECONDS + app.requestTimeoutSeconds + SHUTDOWN_MARGIN_SECONDS,
    };
}
