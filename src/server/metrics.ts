/**
 * `GET /metrics` in Prometheus's text format (prom-client): what an SRE watches on a trailwatch instance —
 * events in, how far ingestion trails the events' own time, alarm states, the notification outbox's depth
 * and delivery outcomes, whether this instance evaluates alarms — plus Node's process metrics. Each
 * instance has its own registry, so tests can run several in one process.
 */
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { OutboxItem } from "../store/types.js";
import type { ServerContext } from "./context.js";

export interface ServerMetrics {
  registry: Registry;
  /** Feeds the delivery counter; pass as the outbox's `onAttempt`. */
  onDeliveryAttempt(item: OutboxItem, outcome: "delivered" | "retried" | "dead"): void;
}

export function createServerMetrics(
  ctx: () => Pick<ServerContext, "engine"> & { outbox?: unknown },
  options: { isEvaluator?: () => boolean; defaultMetrics?: boolean } = {},
): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "trailwatch_" });
  const counters = () => ctx().engine.counters;

  new Counter({
    name: "trailwatch_events_ingested_total",
    help: "Log events ingested (all sources).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counters().events);
    },
  });
  new Counter({
    name: "trailwatch_events_matched_total",
    help: "Ingested events that matched at least one metric filter.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counters().matched);
    },
  });
  new Counter({
    name: "trailwatch_ingest_batches_total",
    help: "Ingest batches committed (each one store transaction).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(counters().batches);
    },
  });
  new Gauge({
    name: "trailwatch_ingest_lag_seconds",
    help: "Now minus the event time of the newest event ingested (0 before the first).",
    registers: [registry],
    collect() {
      const newest = counters().newestEventTime;
      this.set(newest === 0 ? 0 : Math.max(0, (ctx().engine.clock.now() - newest) / 1000));
    },
  });
  new Gauge({
    name: "trailwatch_alarms",
    help: "Alarms by state.",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const by: Record<string, number> = { OK: 0, ALARM: 0, INSUFFICIENT_DATA: 0 };
      for (const a of ctx().engine.alarms.list()) by[a.stateValue] = (by[a.stateValue] ?? 0) + 1;
      for (const [state, n] of Object.entries(by)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: "trailwatch_outbox_messages",
    help: "Notification deliveries in the outbox by status (pending includes those being sent).",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const store = ctx().engine.store;
      for (const status of ["pending", "delivered", "dead"] as const)
        this.set({ status }, await store.countDeliveries(status));
    },
  });
  const deliveries = new Counter({
    name: "trailwatch_delivery_attempts_total",
    help: "Notification delivery attempts by protocol and outcome (delivered, retried = failed and queued again, dead).",
    labelNames: ["protocol", "outcome"],
    registers: [registry],
  });
  new Gauge({
    name: "trailwatch_evaluator_leader",
    help: "1 when this instance evaluates alarms and sends notifications.",
    registers: [registry],
    collect() {
      this.set(options.isEvaluator?.() === false ? 0 : 1);
    },
  });
  return {
    registry,
    onDeliveryAttempt(item, outcome) {
      deliveries.inc({ protocol: item.protocol, outcome });
    },
  };
}

export function registerMetricsRoute(app: FastifyInstance, metrics: ServerMetrics): void {
  app.get("/metrics", async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
