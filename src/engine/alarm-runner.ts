import {
  evaluateCompositeAlarm,
  parseAlarmRule,
  type RuleNode,
  ruleReferencesAlarm,
} from "../alarms/composite.js";
import { decidedStateValue } from "../alarms/decided-state.js";
import {
  evaluatedStateValue,
  evaluateMetricAlarm,
  evaluationRange,
  periodWindows,
} from "../alarms/evaluate.js";
import { stateUpdateHistory } from "../alarms/history.js";
import { alignedEvaluationTime } from "../alarms/windows.js";
import { statisticValue as metricStatistic, summarize } from "../metrics/statistics.js";
import type { Store } from "../store/store.js";
import type {
  Alarm,
  AlarmHistoryItem,
  AlarmState,
  CompositeAlarm,
  Identity,
  MetricAggregate,
  MetricAlarm,
  MetricAlarmConfig,
  MetricId,
} from "../store/types.js";
import type { Clock } from "./clock.js";
import type { MetricIndex } from "./metric-index.js";
import { seriesKey } from "./series-key.js";
import type { TransitionListener } from "./transitions.js";
import { WriteMarks } from "./write-marks.js";

export interface AlarmRunnerOptions {
  store: Store;
  clock: Clock;
  identity: Identity;
  listener: TransitionListener;
  index: MetricIndex;
  /** True when every producer of the metric publishes non-negative constants (so its sums only grow). */
  sumIsMonotone: (metric: MetricId) => boolean;
}

/** One period's statistic, as the evaluator takes it (null = no data). */
export interface PeriodDatapoint {
  timestamp: number;
  value: number | null;
  sampleCount?: number;
}

const MINUTE = 60_000;
const TEN_SECONDS = 10_000;

/** Evaluation step of an alarm: every minute, every 10 s for periods under a minute (CloudWatch's schedule). */
export function stepOf(a: MetricAlarmConfig): number {
  return a.period < 60 ? TEN_SECONDS : MINUTE;
}

/**
 * Alarms in memory, evaluated on CloudWatch's schedule and as soon as data arrives; every state change is
 * stored with its history item and handed to the listener.
 */
export class AlarmRunner {
  private readonly alarms = new Map<string, Alarm>();
  private readonly byMetric = new Map<string, Set<string>>();
  /** Alarms whose last evaluation saw no data and changed nothing: nothing can change until data comes. */
  private readonly idle = new Set<string>();
  /** The composite alarms' names: evaluateParents looks at these only, not at every alarm. */
  private readonly composites = new Set<string>();
  private lastTick: number | undefined;
  /**
   * False on a cluster instance that is not the evaluator (src/cluster): alarms are kept and stored, never
   * evaluated here — scheduled, early or on PutMetricAlarm — so that one instance alone writes states.
   */
  evaluating = true;
  /** Told after each alarm this runner stored or deleted (a cluster instance announces it: src/cluster). */
  onChange: ((alarmName: string) => void) | undefined;
  /** This runner's own alarm writes: refresh() skips those. */
  readonly #writes = new WriteMarks();

  constructor(private readonly o: AlarmRunnerOptions) {}

  async load(): Promise<void> {
    for (const a of await this.o.store.listAlarms()) this.remember(a);
  }

  /** Runs one write of an alarm, marked at its start and end (see refresh), and tells onChange after it. */
  private write<T>(name: string, run: () => Promise<T>): Promise<T> {
    return this.#writes.around(name, run, () => this.onChange?.(name));
  }

  /**
   * Brings the named alarms (every alarm when `names` is undefined) in line with the store, where another
   * instance may have written them (src/cluster). An alarm this runner wrote while the store was being read
   * is left as it is (its own write is newer). New and reconfigured alarms are evaluated at once, as put
   * does. Returns the names whose record changed here.
   */
  async refresh(names?: readonly string[]): Promise<string[]> {
    const since = this.#writes.now();
    const stored =
      names === undefined
        ? await this.o.store.listAlarms()
        : (await Promise.all(names.map((n) => this.o.store.getAlarm(n)))).filter(
            (a): a is Alarm => a !== undefined,
          );
    const byName = new Map(stored.map((a) => [a.alarmName, a]));
    const changed: string[] = [];
    const reconfigured: Alarm[] = [];
    for (const name of names ?? new Set([...this.alarms.keys(), ...byName.keys()])) {
      if (this.#writes.writtenSince(name, since)) continue;
      const now = byName.get(name);
      const old = this.alarms.get(name);
      if (now === undefined) {
        if (old === undefined) continue;
        this.forget(name);
      } else {
        if (old !== undefined && stableJson(old) === stableJson(now)) continue;
        this.remember(now);
        if (old?.alarmConfigurationUpdatedTimestamp !== now.alarmConfigurationUpdatedTimestamp)
          reconfigured.push(now);
      }
      changed.push(name);
    }
    this.#writes.forgetUpTo(since);
    for (const a of reconfigured) await this.evaluateNow(a);
    return changed;
  }

  /** Evaluates an alarm at once, as put does (nothing when this runner is not evaluating). */
  private async evaluateNow(alarm: Alarm): Promise<void> {
    if (alarm.alarmType === "MetricAlarm")
      await this.evaluate(alarm, this.boundaryAtOrBefore(this.o.clock.now(), alarm), "scheduled");
    else await this.evaluateComposite(alarm, this.o.clock.now());
  }

  private remember(a: Alarm): void {
    const old = this.alarms.get(a.alarmName);
    if (old?.alarmType === "MetricAlarm") this.byMetric.get(seriesKey(metricOf(old)))?.delete(old.alarmName);
    this.alarms.set(a.alarmName, a);
    this.idle.delete(a.alarmName);
    if (a.alarmType === "CompositeAlarm") this.composites.add(a.alarmName);
    else this.composites.delete(a.alarmName);
    if (a.alarmType === "MetricAlarm") {
      const key = seriesKey(metricOf(a));
      const set = this.byMetric.get(key) ?? new Set<string>();
      set.add(a.alarmName);
      this.byMetric.set(key, set);
    }
  }

  forget(name: string): void {
    const a = this.alarms.get(name);
    if (a?.alarmType === "MetricAlarm") this.byMetric.get(seriesKey(metricOf(a)))?.delete(name);
    this.alarms.delete(name);
    this.idle.delete(name);
    this.composites.delete(name);
  }

  get(name: string): Alarm | undefined {
    return this.alarms.get(name);
  }

  list(): Alarm[] {
    return [...this.alarms.values()].sort((a, b) =>
      a.alarmName < b.alarmName ? -1 : a.alarmName > b.alarmName ? 1 : 0,
    );
  }

  watchedMetrics(): MetricId[] {
    const out: MetricId[] = [];
    for (const a of this.alarms.values()) if (a.alarmType === "MetricAlarm") out.push(metricOf(a));
    return out;
  }

  longestRangeMs(): number {
    let longest = 0;
    for (const a of this.alarms.values()) {
      if (a.alarmType === "MetricAlarm") longest = Math.max(longest, evaluationRange(a) * a.period * 1000);
    }
    return longest;
  }

  alarmArn(name: string): string {
    return `arn:aws:cloudwatch:${this.o.identity.region}:${this.o.identity.account}:alarm:${name}`;
  }

  /** Stores a new or updated alarm (with its history item) and evaluates it right away, as CloudWatch does. */
  async put(alarm: Alarm, history: AlarmHistoryItem): Promise<void> {
    await this.write(alarm.alarmName, async () => {
      await this.o.store.putAlarm(alarm, history);
      this.remember(alarm);
    });
    await this.evaluateNow(alarm);
  }

  async delete(name: string, history: AlarmHistoryItem): Promise<boolean> {
    return this.write(name, async () => {
      const ok = await this.o.store.deleteAlarm(name, history);
      this.forget(name);
      return ok;
    });
  }

  /**
   * Replay's state writes wait here (the latest record of each alarm and the history items in order) and
   * reach the store a few transactions at a time instead of one per transition. Nothing else writes these
   * alarms meanwhile: replay owns its store.
   */
  #deferred: { alarms: Map<string, Alarm>; history: AlarmHistoryItem[] } | undefined;

  /** From now on state writes wait for flushStateWrites (replay; see #deferred). */
  deferStateWrites(): void {
    this.#deferred ??= { alarms: new Map(), history: [] };
  }

  /** Writes the waiting states and history; with `stop`, writes go straight to the store again. */
  async flushStateWrites(options: { stop?: boolean } = {}): Promise<void> {
    const d = this.#deferred;
    if (!d) return;
    if (options.stop) this.#deferred = undefined;
    const alarms = [...d.alarms.values()];
    const history = d.history.splice(0);
    d.alarms.clear();
    for (const a of alarms) await this.o.store.putAlarm(a);
    if (history.length > 0) await this.o.store.appendAlarmHistory(history);
  }

  /** Writes a state (SetAlarmState or an evaluation) and tells the listener when it changed. */
  async setState(alarm: Alarm, state: AlarmState, history: AlarmHistoryItem, depth = 0): Promise<Alarm> {
    const updated = { ...alarm, ...state } as Alarm;
    if (this.#deferred) {
      this.alarms.set(alarm.alarmName, updated);
      this.#deferred.alarms.set(alarm.alarmName, updated);
      this.#deferred.history.push(history);
      this.onChange?.(alarm.alarmName);
      if (this.#deferred.history.length >= DEFERRED_WRITES_MAX) await this.flushStateWrites();
    } else
      await this.write(alarm.alarmName, async () => {
        await this.o.store.setAlarmState(alarm.alarmName, state, history);
        this.alarms.set(alarm.alarmName, updated);
      });
    if (state.stateValue !== alarm.stateValue) {
      await this.o.listener.onTransition({
        alarm: updated,
        oldState: alarm.stateValue,
        newState: state.stateValue,
        timestamp: state.stateUpdatedTimestamp,
        reason: state.stateReason,
        reasonData: state.stateReasonData,
      });
      await this.evaluateParents(updated, state.stateUpdatedTimestamp, depth);
    }
    return updated;
  }

  /** A metric alarm SetAlarmState moved: the next scheduled evaluation must run even without new data. */
  wake(name: string): void {
    this.idle.delete(name);
  }

  /** Composite alarms are evaluated when a child changes state (and when they are created or updated). */
  private async evaluateParents(child: Alarm, at: number, depth: number): Promise<void> {
    // A cycle of composites stops here, as CloudWatch stops evaluating on a detected cycle.
    if (depth >= 20) return;
    for (const name of this.composites) {
      const parent = this.alarms.get(name);
      if (parent?.alarmType !== "CompositeAlarm") continue;
      const rule = this.ruleOf(parent);
      if (!ruleReferencesAlarm(rule, child.alarmName) && !ruleReferencesAlarm(rule, child.alarmArn)) continue;
      await this.evaluateComposite(parent, at, depth + 1, child.alarmName);
    }
  }

  private readonly rules = new Map<string, { text: string; node: RuleNode }>();

  private ruleOf(a: CompositeAlarm): RuleNode {
    const cached = this.rules.get(a.alarmName);
    if (cached && cached.text === a.alarmRule) return cached.node;
    const node = parseAlarmRule(a.alarmRule);
    this.rules.set(a.alarmName, { text: a.alarmRule, node });
    return node;
  }

  async evaluateComposite(a: CompositeAlarm, at: number, depth = 0, trigger?: string): Promise<void> {
    if (!this.evaluating) return;
    const prefix = `arn:aws:cloudwatch:${this.o.identity.region}:${this.o.identity.account}:alarm:`;
    const result = evaluateCompositeAlarm({
      alarmArn: a.alarmArn,
      rule: this.ruleOf(a),
      child: (reference) => {
        const c = this.alarms.get(reference.startsWith(prefix) ? reference.slice(prefix.length) : reference);
        return c && { arn: c.alarmArn, stateValue: c.stateValue, timestamp: c.stateTransitionedTimestamp };
      },
      previous: a,
      trigger,
    });
    if (!result.changed) return;
    const state: AlarmState = {
      stateValue: result.stateValue,
      stateReason: result.stateReason,
      stateReasonData: result.stateReasonData,
      stateUpdatedTimestamp: at,
      stateTransitionedTimestamp: at,
    };
    await this.setState(a, state, stateUpdateHistory(a, state, at), depth);
  }

  /** Replaces an alarm's record without a state change (e.g. Enable/DisableAlarmActions). */
  async replace(alarm: Alarm, history?: AlarmHistoryItem): Promise<void> {
    await this.write(alarm.alarmName, async () => {
      await this.o.store.putAlarm(alarm, history);
      this.alarms.set(alarm.alarmName, alarm);
    });
  }

  private boundaryAtOrBefore(t: number, a: MetricAlarmConfig): number {
    const step = stepOf(a);
    return Math.floor(t / step) * step;
  }

  /** Each alarm record's series key (records are replaced on every change, so this never goes stale). */
  readonly #keys = new WeakMap<MetricAlarm, string>();

  private keyOf(a: MetricAlarm): string {
    let key = this.#keys.get(a);
    if (key === undefined) {
      key = seriesKey(metricOf(a));
      this.#keys.set(a, key);
    }
    return key;
  }

  /** The per-period datapoints of an alarm's evaluation range at time t, oldest first. */
  datapoints(a: MetricAlarm, t: number): PeriodDatapoint[] {
    const quick = this.minuteDatapoints(a, t);
    if (quick !== undefined) return quick;
    const ranges = periodWindows(a, t);
    const from = ranges[0]?.start ?? t;
    // In time order (MetricIndex.range), so each window is the next run of it: one walk for all windows.
    const all = this.o.index.rangeOf(this.keyOf(a), from, t);
    const out: PeriodDatapoint[] = [];
    let i = 0;
    for (const w of ranges) {
      while (i < all.length && all[i].timestamp < w.start) i++;
      let sampleCount = 0;
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let inside: MetricAggregate[] | undefined;
      for (; i < all.length && all[i].timestamp < w.end; i++) {
        const x = all[i];
        if (a.unit !== undefined && x.unit !== a.unit) continue;
        sampleCount += x.sampleCount;
        sum += x.sum;
        if (x.min < min) min = x.min;
        if (x.max > max) max = x.max;
        if (a.extendedStatistic) {
          inside ??= [];
          inside.push(x);
        }
      }
      if (sampleCount === 0) out.push({ timestamp: w.start, value: null });
      else
        out.push({
          timestamp: w.start,
          value: statisticValue(a, { sampleCount, sum, min, max }, inside ?? []),
          sampleCount,
        });
    }
    return out;
  }

  /**
   * datapoints for the common case — a basic statistic over whole minutes of a series of minute buckets
   * — by looking the minutes up, without building the range's list first: the scheduler asks this of
   * every alarm every minute. Undefined when the general way must answer.
   */
  private minuteDatapoints(a: MetricAlarm, t: number): PeriodDatapoint[] | undefined {
    if (a.extendedStatistic !== undefined || a.period % 60 !== 0) return undefined;
    const buckets = this.o.index.minuteBuckets(this.keyOf(a));
    if (buckets === undefined) return undefined;
    const r = evaluationRange(a);
    const minutes = a.period / 60;
    if (buckets !== null && r * minutes > buckets.size) return undefined; // a long range of a short series
    const length = a.period * 1000;
    const end = alignedEvaluationTime(a.period, t);
    const out: PeriodDatapoint[] = [];
    for (let k = r; k >= 1; k--) {
      const start = end - k * length;
      let sampleCount = 0;
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      if (buckets !== null)
        for (let m = start; m < start + length; m += MINUTE) {
          const x = buckets.get(m * 2);
          if (x === undefined || (a.unit !== undefined && x.unit !== a.unit)) continue;
          sampleCount += x.sampleCount;
          sum += x.sum;
          if (x.min < min) min = x.min;
          if (x.max > max) max = x.max;
        }
      if (sampleCount === 0) out.push({ timestamp: start, value: null });
      else
        out.push({
          timestamp: start,
          value: statisticValue(a, { sampleCount, sum, min, max }, []),
          sampleCount,
        });
    }
    return out;
  }

  /** Evaluates one metric alarm at time t; stores and announces a transition. */
  private async evaluate(a: MetricAlarm, t: number, mode: "scheduled" | "early", at = t): Promise<void> {
    if (!this.evaluating) return;
    const points = this.datapoints(a, t);
    // The state first; the reason texts (most of an evaluation's cost) only for a transition.
    const next = decidedStateValue(a, points, a.stateValue) ?? evaluatedStateValue(a, points, a);
    const changed = next !== a.stateValue;
    if (mode === "early" && (!changed || next !== "ALARM")) return;
    if (!changed) {
      if (points.every((p) => p.value === null)) this.idle.add(a.alarmName);
      return;
    }
    const result = evaluateMetricAlarm(a, points, t, a);
    const state: AlarmState = {
      stateValue: result.stateValue,
      stateReason: result.stateReason,
      stateReasonData: result.stateReasonData,
      stateUpdatedTimestamp: at,
      stateTransitionedTimestamp: at,
    };
    await this.setState(a, state, stateUpdateHistory(a, state, at));
  }

  /**
   * Evaluation as soon as data arrives, so the first root sign-in changes the alarm within a second
   * instead of a minute. It only ever moves an alarm into ALARM, and only for alarms whose breach cannot
   * be undone by more data in the same period (Sum, SampleCount or Maximum above a threshold with
   * non-negative data; Minimum below one): the next scheduled evaluation is then certain to agree.
   */
  async evaluateEarly(metrics: readonly MetricId[], now: number, keys?: readonly string[]): Promise<void> {
    if (!this.evaluating) return;
    const seen = new Set<string>();
    for (let i = 0; i < metrics.length; i++) {
      const names = this.byMetric.get(keys?.[i] ?? seriesKey(metrics[i]));
      if (!names) continue;
      for (const name of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        this.idle.delete(name);
        const a = this.alarms.get(name);
        if (
          a?.alarmType !== "MetricAlarm" ||
          a.stateValue === "ALARM" ||
          !monotoneBreach(a, this.o.sumIsMonotone)
        )
          continue;
        const step = stepOf(a);
        // The window the next scheduled evaluation will use, with the data so far.
        const next = Math.floor(now / step) * step + step;
        await this.evaluate(a, next, "early", now);
      }
    }
  }

  /** Runs the scheduled evaluations of every boundary in (last tick, now]. */
  async runScheduled(now: number): Promise<void> {
    if (!this.evaluating) return;
    const metricAlarms = [...this.alarms.values()].filter(
      (a): a is MetricAlarm => a.alarmType === "MetricAlarm",
    );
    const step = metricAlarms.some((a) => stepOf(a) === TEN_SECONDS) ? TEN_SECONDS : MINUTE;
    const last = Math.floor(now / step) * step;
    // The next boundary of the current step after the last tick (the step shrinks to 10 s, or grows back
    // to a minute, as high-resolution alarms come and go).
    let b = this.lastTick === undefined ? last : Math.floor(this.lastTick / step) * step + step;
    for (; b <= last; b += step) {
      if (!metricAlarms.some((a) => !this.idle.has(a.alarmName))) {
        // Nothing can change until data arrives: jump to the end.
        this.lastTick = last;
        break;
      }
      const due = metricAlarms.filter((a) => !this.idle.has(a.alarmName) && b % stepOf(a) === 0);
      for (const a of due) {
        const current = this.alarms.get(a.alarmName) as MetricAlarm | undefined;
        // A boundary older than the alarm's last state change is stale (catching up after a pause, or after
        // an early transition): evaluating it would write a state dated before the one already recorded.
        if (current && current.stateUpdatedTimestamp <= b) await this.evaluate(current, b, "scheduled");
      }
      this.lastTick = b;
    }
  }
}

/** History items that may wait in memory while state writes are deferred. */
const DEFERRED_WRITES_MAX = 2000;

/** JSON with object keys sorted: two records of one alarm compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function metricOf(a: MetricAlarmConfig): MetricId {
  return { namespace: a.namespace, metricName: a.metricName, dimensions: a.dimensions };
}

function statisticValue(
  a: MetricAlarmConfig,
  c: { sampleCount: number; sum: number; min: number; max: number },
  inside: readonly MetricAggregate[],
): number | null {
  switch (a.statistic) {
    case "Sum":
      return c.sum;
    case "SampleCount":
      return c.sampleCount;
    case "Average":
      return c.sum / c.sampleCount;
    case "Minimum":
      return c.min;
    case "Maximum":
      return c.max;
    default:
      // Percentiles and trimmed statistics need the sketches; the basic ones above do not.
      if (!a.extendedStatistic) return null;
      {
        const summary = summarize(inside);
        return summary ? (metricStatistic(summary, a.extendedStatistic) ?? null) : null;
      }
  }
}

function monotoneBreach(a: MetricAlarm, sumIsMonotone: (m: MetricId) => boolean): boolean {
  const above =
    a.comparisonOperator === "GreaterThanThreshold" ||
    a.comparisonOperator === "GreaterThanOrEqualToThreshold";
  const below =
    a.comparisonOperator === "LessThanThreshold" || a.comparisonOperator === "LessThanOrEqualToThreshold";
  if (a.statistic === "SampleCount" || a.statistic === "Maximum") return above;
  if (a.statistic === "Minimum") return below;
  // A sum only grows when no later value can be negative: metric filters with a non-negative constant value.
  return a.statistic === "Sum" && above && sumIsMonotone(metricOf(a));
}
