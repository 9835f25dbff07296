/**
 * The store `trailwatch serve` runs on, from --store / --bus / --role: SQLite in the data directory (the
 * default: one instance, evaluating alone), PostgreSQL for one instance, or PostgreSQL plus a NATS bus for
 * one of several instances — then the engine's store is fenced and evaluation waits for the lease.
 */
import { join } from "node:path";
import { openPostgresStore } from "../store/postgres/index.js";
import { openSqliteStore } from "../store/sqlite/index.js";
import type { Store } from "../store/store.js";
import { type BusConfig, parseBusUrl } from "./bus-url.js";
import { type ClusterStores, openClusterStores } from "./cluster.js";
import { parseRole, type Role } from "./role.js";
import { isPostgresUrl, splitStoreUrl } from "./store-url.js";

export interface ServeStore {
  store: Store;
  /** Present with --bus: what startCluster needs besides the server context. */
  cluster?: { stores: ClusterStores; bus: BusConfig; role: Role };
  /** Where the store is, for the log (no password). */
  where: string;
}

export class ServeStoreUsageError extends Error {}

export async function openServeStore(options: {
  store?: string;
  bus?: string;
  role?: string;
  dataDir: string;
  storeFile: string;
  mergeSketch: (a: Uint8Array, b: Uint8Array) => Uint8Array;
}): Promise<ServeStore> {
  const { store: storeUrl, bus: busUrl, mergeSketch } = options;
  if (storeUrl !== undefined && storeUrl !== "" && !isPostgresUrl(storeUrl))
    throw new ServeStoreUsageError(`--store must be a postgres://… URL, got '${storeUrl.split("@").pop()}'`);
  const postgres = storeUrl !== undefined && storeUrl !== "";
  if (busUrl !== undefined && busUrl !== "") {
    if (!postgres)
      throw new ServeStoreUsageError(
        "--bus needs --store postgres://…: the instances share their state there",
      );
    let bus: BusConfig;
    let role: Role;
    try {
      bus = parseBusUrl(busUrl);
      role = parseRole(options.role ?? "all");
    } catch (err) {
      throw new ServeStoreUsageError((err as Error).message);
    }
    const stores = await openClusterStores({ ...splitStoreUrl(storeUrl), mergeSketch });
    return { store: stores.engineStore, cluster: { stores, bus, role }, where: redactStore(storeUrl) };
  }
  if (options.role !== undefined && options.role !== "all")
    throw new ServeStoreUsageError("--role needs --bus: without a bus the one instance does everything");
  if (postgres) {
    const store = await openPostgresStore({ ...splitStoreUrl(storeUrl), mergeSketch });
    return { store, where: redactStore(storeUrl) };
  }
  const path = join(options.dataDir, options.storeFile);
  return { store: await openSqliteStore({ path, mergeSketch }), where: path };
}

function redactStore(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^@/]*@/i, "$1***@");
}
