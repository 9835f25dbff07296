/**
 * The cluster's lines in /metrics (registered into the instance's registry): what was published to the
 * bus and applied from it, redeliveries and duplicates caught by the batch claims, how far the workers
 * trail (the consumer's pending and unacknowledged batches, as JetStream counts them), and the evaluator
 * lease. Events in, outbox depth, delivery outcomes and trailwatch_evaluator_leader are the server's own
 * metrics (src/server/metrics.ts).
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { AlarmWrites } from "./alarm-writes.js";
import type { BusSink } from "./bus-sink.js";
import type { BusWorker } from "./bus-worker.js";
import type { ConfigSync } from "./config-sync.js";
import type { LeaseElector } from "./evaluator-lease.js";
import type { EventRefsRelay } from "./event-refs-relay.js";
import { type Bus, busLag } from "./jetstream.js";

export function registerClusterMetrics(
  registry: Registry,
  parts: {
    bus: Bus;
    sink?: BusSink;
    worker?: BusWorker;
    elector: LeaseElector;
    config?: ConfigSync;
    alarmWrites?: AlarmWrites;
    relay?: EventRefsRelay;
  },
): void {
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const { sink, worker, elector, config, alarmWrites, relay } = parts;
  if (config) {
    const c = config.counters;
    counter(
      "trailwatch_config_hints_sent_total",
      "Configuration changes this instance announced to the others.",
      () => c.sent,
    );
    counter(
      "trailwatch_config_hints_received_total",
      "Configuration change announcements received from other instances.",
      () => c.received,
    );
    counter(
      "trailwatch_config_reconciles_total",
      "Full re-reads of alarms and metric filters (periodic, or asked for by a starting instance).",
      () => c.reconciles,
    );
    counter(
      "trailwatch_config_changes_applied_total",
      "Alarms and log groups whose in-memory configuration changed from the store (hints and reconciles).",
      () => c.changed,
    );
  }
  if (alarmWrites) {
    counter(
      "trailwatch_alarm_writes_forwarded_total",
      "Alarm writes this instance forwarded to the evaluator.",
      () => alarmWrites.counters.forwarded,
    );
    counter(
      "trailwatch_alarm_writes_answered_total",
      "Forwarded alarm writes this instance ran as the evaluator.",
      () => alarmWrites.counters.answered,
    );
  }
  if (relay) {
    const r = relay.counters;
    counter(
      "trailwatch_event_refs_relayed_buckets_total",
      "Series-minute buckets of event summaries this instance's worker relayed.",
      () => r.sentBuckets,
    );
    counter(
      "trailwatch_event_refs_received_buckets_total",
      "Series-minute buckets of event summaries received from other instances' workers.",
      () => r.receivedBuckets,
    );
    counter(
      "trailwatch_event_refs_dropped_events_total",
      "Matching events whose summaries could not be relayed (queue full or NATS unreachable).",
      () => r.droppedEvents,
    );
  }
  if (sink) {
    counter(
      "trailwatch_bus_published_batches_total",
      "Ingest batches published to the bus.",
      () => sink.counters.batches,
    );
    counter(
      "trailwatch_bus_published_events_total",
      "Log events published to the bus.",
      () => sink.counters.events,
    );
    counter(
      "trailwatch_bus_publish_duplicates_total",
      "Messages JetStream already held (a retried batch within its duplicate window).",
      () => sink.counters.duplicates,
    );
  }
  if (worker) {
    const w = worker.counters;
    counter("trailwatch_bus_applied_batches_total", "Bus batches this worker committed.", () => w.applied);
    counter(
      "trailwatch_bus_applied_events_total",
      "Log events of the bus batches this worker committed.",
      () => w.events,
    );
    counter(
      "trailwatch_bus_redelivered_batches_total",
      "Deliveries JetStream marked as redelivered (a worker died or was slow before its ack).",
      () => w.redelivered,
    );
    counter(
      "trailwatch_bus_duplicate_batches_total",
      "Deliveries whose batch was already applied (claim found): acknowledged, not counted again.",
      () => w.duplicates,
    );
    counter(
      "trailwatch_bus_apply_failures_total",
      "Batch commits that failed and went back to the bus.",
      () => w.failed,
    );
    counter(
      "trailwatch_bus_rejected_messages_total",
      "Messages on the bus that are not trailwatch batches.",
      () => w.rejected,
    );
    new Gauge({
      name: "trailwatch_bus_apply_lag_seconds",
      help: "Acceptance by an instance to commit by this worker, of the latest batch applied.",
      registers: [registry],
      collect() {
        this.set(w.lastLagMs / 1000);
      },
    });
  }
  new Gauge({
    name: "trailwatch_bus_lag_batches",
    help: "Batches on the bus not yet applied: waiting (state=pending) or taken by a worker and not yet acknowledged (state=unacked).",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      try {
        const lag = await busLag(parts.bus);
        this.set({ state: "pending" }, lag.pending);
        this.set({ state: "unacked" }, lag.unacked);
      } catch {
        // The bus is unreachable: no value rather than a stale one.
        this.reset();
      }
    },
  });
  counter(
    "trailwatch_evaluator_elections_total",
    "Times this instance won the evaluator lease.",
    () => elector.elections,
  );
  new Gauge({
    name: "trailwatch_evaluator_token",
    help: "The evaluator lease's fencing token while this instance holds it (0 otherwise).",
    registers: [registry],
    collect() {
      this.set(elector.token ?? 0);
    },
  });
}
