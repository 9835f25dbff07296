/**
 * Alarm writes in a cluster go to the evaluator. The evaluator is the one instance that evaluates alarms and
 * writes their states (fenced by its lease token), and the stored alarm record holds configuration and state
 * together: an instance writing PutMetricAlarm from its own memory could put back a state the evaluator had
 * already moved on from. So every alarm write — PutMetricAlarm, PutCompositeAlarm, DeleteAlarms,
 * SetAlarmState, Enable/DisableAlarmActions, Tag/UntagResource — made on another instance is forwarded, as
 * the API received it, by a NATS request on `<prefix>.cluster.alarm-writes`. Only the evaluator listens
 * (a queue group, so one answers even while a deposed one has not yet let go), runs it exactly as a single
 * instance would — validation, AWS's errors, the immediate evaluation of a new alarm, the notifications of
 * a SetAlarmState — and answers with nothing or the error, which the caller gets as if it were local.
 *
 * With no evaluator (the few seconds of a takeover) the request is retried until `timeoutMs` (15 s), then
 * the call fails (500, which AWS SDKs retry). A request that timed out after the evaluator took it is not
 * sent again: it may have been applied. Before answering its client, the forwarding instance re-reads the
 * alarms it named, so that a DescribeAlarms right after sees the change.
 */
import { NoRespondersError, RequestError, TimeoutError } from "@nats-io/transport-node";
import { alarmNameOf } from "../alarms/arn.js";
import type { AlarmWrite, AlarmWriteRoute } from "../engine/cloudwatch-service.js";
import type { Engine } from "../engine/engine.js";
import { CloudWatchError, type CloudWatchErrorCode } from "../metrics/errors.js";
import type { Bus } from "./jetstream.js";
import { controlSubject } from "./subjects.js";

const WRITES: readonly AlarmWrite[] = [
  "putMetricAlarm",
  "putCompositeAlarm",
  "deleteAlarms",
  "setAlarmState",
  "enableAlarmActions",
  "disableAlarmActions",
  "tagResource",
  "untagResource",
];

interface Answer {
  ok?: true;
  /** The instance that took the request is not (or no longer) the evaluator: ask again. */
  retry?: true;
  error?: { name: string; message: string; cloudwatch?: true };
}

export class EvaluatorUnavailableError extends Error {
  override name = "EvaluatorUnavailable";
}

export interface AlarmWritesOptions {
  bus: Bus;
  engine: Engine;
  isEvaluator(): boolean;
  /** How long a write waits for an evaluator to answer, retries included (default 15 s). */
  timeoutMs?: number;
  onError(err: unknown, what: string): void;
}

export class AlarmWrites {
  readonly counters = { forwarded: 0, answered: 0 };
  readonly #subject: string;
  #sub: ReturnType<Bus["nc"]["subscribe"]> | undefined;

  constructor(private readonly o: AlarmWritesOptions) {
    this.#subject = controlSubject(o.bus.config.subjectPrefix, "alarm-writes");
  }

  /** For CloudWatchService.routeAlarmWrites: here on the evaluator, forwarded anywhere else. */
  readonly route: AlarmWriteRoute = (operation, raw) =>
    this.o.isEvaluator() ? undefined : this.forward(operation, raw);

  async forward(operation: AlarmWrite, raw: unknown): Promise<void> {
    const timeoutMs = this.o.timeoutMs ?? 15_000;
    const deadline = Date.now() + timeoutMs;
    const request = JSON.stringify({ op: operation, raw: raw ?? {} });
    this.counters.forwarded++;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new EvaluatorUnavailableError(
          `no evaluator answered within ${timeoutMs / 1000} s (a takeover under way?); try again`,
        );
      let answer: Answer;
      try {
        const reply = await this.o.bus.nc.request(this.#subject, request, { timeout: left });
        answer = JSON.parse(new TextDecoder().decode(reply.data)) as Answer;
      } catch (err) {
        if (noResponders(err)) {
          await sleep(Math.min(200, left));
          continue;
        }
        if (timedOut(err))
          throw new EvaluatorUnavailableError(
            `the evaluator did not answer within ${timeoutMs / 1000} s; the change may or may not be applied`,
          );
        throw err;
      }
      if (answer.retry) {
        await sleep(Math.min(200, left));
        continue;
      }
      if (answer.error) throw errorOf(answer.error);
      break;
    }
    // Read your own write: this instance's memory has the change before its client hears back.
    const names = alarmNamesOf(operation, raw);
    if (names.length > 0)
      await this.o.engine.alarms
        .refresh(names)
        .catch((err) => this.o.onError(err, "re-reading a forwarded alarm write failed"));
  }

  /** Starts answering forwarded writes (when this instance became the evaluator). */
  answer(): void {
    if (this.#sub) return;
    this.#sub = this.o.bus.nc.subscribe(this.#subject, {
      queue: "evaluator",
      callback: (err, msg) => {
        if (err) return this.o.onError(err, "the alarm-writes subscription failed");
        void this.#run(msg.data)
          .then((a) => msg.respond(JSON.stringify(a)))
          .catch((e) => this.o.onError(e, "could not answer a forwarded alarm write"));
      },
    });
  }

  /** Stops answering (when this instance is no longer the evaluator). */
  async stopAnswering(): Promise<void> {
    const sub = this.#sub;
    this.#sub = undefined;
    await sub?.drain().catch(() => sub.unsubscribe());
  }

  async #run(data: Uint8Array): Promise<Answer> {
    let op: AlarmWrite;
    let raw: unknown;
    try {
      ({ op, raw } = JSON.parse(new TextDecoder().decode(data)) as { op: AlarmWrite; raw: unknown });
    } catch {
      return { error: { name: "InternalFailure", message: "a forwarded alarm write that is not JSON" } };
    }
    if (!WRITES.includes(op))
      return { error: { name: "InternalFailure", message: `not an alarm write: ${String(op)}` } };
    if (!this.o.isEvaluator()) return { retry: true };
    try {
      await this.o.engine.cloudwatch[op](raw);
      this.counters.answered++;
      return { ok: true };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      return {
        error: {
          name: e.name,
          message: e.message,
          ...(e instanceof CloudWatchError ? { cloudwatch: true as const } : {}),
        },
      };
    }
  }
}

/** The alarms a write names (what the forwarding instance re-reads at once; hints bring the rest). */
function alarmNamesOf(operation: AlarmWrite, raw: unknown): string[] {
  const r = (raw ?? {}) as { AlarmName?: unknown; AlarmNames?: unknown; ResourceARN?: unknown };
  const names: unknown[] =
    operation === "deleteAlarms" || operation === "enableAlarmActions" || operation === "disableAlarmActions"
      ? Array.isArray(r.AlarmNames)
        ? r.AlarmNames
        : []
      : operation === "tagResource" || operation === "untagResource"
        ? typeof r.ResourceARN === "string"
          ? [alarmNameOf(r.ResourceARN)]
          : []
        : [r.AlarmName];
  return names.filter((n): n is string => typeof n === "string" && n.length > 0).slice(0, 100);
}

function errorOf(e: NonNullable<Answer["error"]>): Error {
  if (e.cloudwatch) return new CloudWatchError(e.name as CloudWatchErrorCode, e.message);
  return Object.assign(new Error(e.message), { name: e.name });
}

function noResponders(err: unknown): boolean {
  return (
    err instanceof NoRespondersError ||
    (err instanceof RequestError && err.isNoResponders()) ||
    (err as { cause?: unknown })?.cause instanceof NoRespondersError
  );
}

function timedOut(err: unknown): boolean {
  return err instanceof TimeoutError || (err as { cause?: unknown })?.cause instanceof TimeoutError;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
