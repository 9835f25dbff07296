/**
 * An in-process cluster instance for the tests: the server context on a fenced PostgreSQL store (as serve
 * builds it), the seed pack, and the cluster parts — bus sink, worker, evaluator lease — on the test's own
 * schema and stream. Several of them in one process stand for several processes: each has its own Store
 * instances, so the change feed and the claims see them as strangers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import {
  type Cluster,
  type ClusterStores,
  openClusterStores,
  startCluster,
} from "../../src/cluster/cluster.js";
import { RelayedEventRefs } from "../../src/cluster/event-refs-relay.js";
import type { Role } from "../../src/cluster/role.js";
import { splitStoreUrl } from "../../src/cluster/store-url.js";
import { type Clock, systemClock } from "../../src/engine/clock.js";
import { installPack } from "../../src/engine/install-pack.js";
import type { AlarmTransition } from "../../src/engine/transitions.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";
import { loadPack } from "../../src/packs/pack.js";
import { type OpenedServerContext, openServerContext } from "../../src/server/open-context.js";
import { busConfig, storeUrl } from "./services.js";

export interface TestInstance {
  ctx: OpenedServerContext;
  stores: ClusterStores;
  cluster: Cluster;
  transitions: AlarmTransition[];
  close(): Promise<void>;
}

export async function startInstance(o: {
  schema: string;
  stream: string;
  role: Role;
  clock?: Clock;
  ackWaitMs?: number;
  lease?: { ttlMs?: number; renewMs?: number };
  reconcileMs?: number;
}): Promise<TestInstance> {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-cluster-"));
  const stores = await openClusterStores({ ...splitStoreUrl(storeUrl(o.schema)), mergeSketch });
  const transitions: AlarmTransition[] = [];
  let cluster: Cluster | undefined;
  const logger = pino({ level: process.env.TRAILWATCH_TEST_LOG ?? "silent" });
  const ctx = await openServerContext({
    store: stores.engineStore,
    clock: o.clock ?? systemClock,
    identity: { account: "123456789012", region: "us-east-1" },
    logger,
    publicUrl: "http://127.0.0.1:1",
    loopbackOnly: true,
    signingDir: dir,
    mailer: { send: async () => ({ ok: true }) } as never,
    processMetrics: false,
    evaluator: false,
    isEvaluator: () => cluster?.isEvaluator() ?? false,
    onTransition: (t) => void transitions.push(t),
    eventRefs: new RelayedEventRefs(),
  });
  await installPack(ctx.engine, await loadPack("seed"));
  cluster = await startCluster({
    ctx,
    stores,
    bus: busConfig(o.stream, o.ackWaitMs),
    role: o.role,
    logger,
    lease: o.lease ?? { ttlMs: 3000, renewMs: 500 },
    ...(o.reconcileMs ? { reconcileMs: o.reconcileMs } : {}),
  });
  const started = cluster;
  return {
    ctx,
    stores,
    cluster: started,
    transitions,
    async close() {
      await started.stop();
      await ctx.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
