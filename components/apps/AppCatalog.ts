import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "../cluster/Cluster";
import { AppSpec, DataAccess, resolveApp } from "./app";
import { resolvePeers } from "./catalog";
import { DataAccessGrant, NamespacedApp } from "./NamespacedApp";

/** Every app of the catalog, each a NamespacedApp, with the network paths between them resolved. */
export interface AppCatalogArgs {
    readonly apps: readonly AppSpec[];
    readonly provider: k8s.Provider;
    readonly irsa: Pick<Cluster, "createIrsaRole">;
    readonly dataAccess: Readonly<Record<DataAccess, DataAccessGrant>>;
    readonly vpcCidr: string;
    readonly region: string;
}

export class AppCatalog extends pulumi.ComponentResource {
    /** By app name. */
    public readonly apps: Readonly<Record<string, NamespacedApp>>;
    /** Namespace by app name. */
    public readonly namespaces: Readonly<Record<string, string>>;
    /** Load balancer DNS name by app name, for the apps behind one. */
    public readonly loadBalancerHostnames: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: AppCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
        super("iot:apps:AppCatalog", name, {}, opts);

        const resolved = args.apps.map((app) => resolveApp(app, args.vpcCidr));
        const seen = new Set<string>();
        for (const app of resolved) {
            for (const key of [`name ${app.name}`, `namespace ${app.namespace}`]) {
                if (seen.has(key)) {
                    throw new pulumi.ResourceError(`apps: two apps use the ${key}; each app has its own name and namespace`, this);
                }
                seen.add(key);
            }
        }
        let peers;
        try {
            peers = resolvePeers(resolved);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
        }

        const apps: Record<string, NamespacedApp> = {};
        for (const app of args.apps) {
            apps[app.name] = new NamespacedApp(`${name}-${app.name}`, {
                app,
                provider: args.provider,
                irsa: args.irsa,
                dataAccess: args.dataAccess,
                peers: peers.get(app.name),
                vpcCidr: args.vpcCidr,
                region: args.region,
            }, { parent: this });
        }
        this.apps = apps;
        this.loadBalancerHostnames = Object.fromEntries(Object.entries(apps)
            .flatMap(([appName, app]) => (app.loadBalancerHostname === undefined ? [] : [[appName, app.loadBalancerHostname] as const])));
        this.namespaces = Object.fromEntries(resolved.map((app) => [app.name, app.namespace]));
        this.registerOutputs({ namespaces: this.namespaces });
    }
}
