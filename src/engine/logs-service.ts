import { LogsError } from "../logs/errors.js";
import {
  describeLogGroups,
  describeLogStreams,
  describeMetricFilters,
  filterLogEvents,
  getLogEvents,
  type LogsNaming,
} from "../logs/queries.js";
import { checkTagKeys, checkTagMap, logGroupOfArn, MAX_TAGS } from "../logs/tags.js";
import {
  checkFilterName,
  checkLogGroupName,
  checkLogStreamName,
  checkPutLogEventsBatch,
  checkRetentionInDays,
  type RejectedLogEventsInfo,
} from "../logs/validate.js";
import { compileMetricTransformation, type MetricTransformation } from "../metrics/transformation.js";
import { compileFilterPattern, InvalidParameterException } from "../pattern/index.js";
import type { Store } from "../store/store.js";
import type { Identity, LogGroup, LogStream, MetricFilter } from "../store/types.js";
import type { Clock } from "./clock.js";
import { LogGroupPipeline } from "./log-group-pipeline.js";
import { WriteMarks } from "./write-marks.js";

export const MAX_METRIC_FILTERS_PER_GROUP = 100;
export const MAX_REGEX_FILTERS_PER_GROUP = 5;

/** What the logs service needs from the engine: where accepted events go. */
export interface EventSink {
  ingest(
    logGroupName: string,
    logStreamName: string,
    events: { timestamp: number; message: string }[],
  ): Promise<void>;
}

/**
 * CloudWatch Logs' control plane over the store: log groups, streams, retention and metric filters, with
 * AWS's validation and limits, and the compiled pipeline of each group's filters kept in memory.
 */
export class LogsService {
  private readonly pipelines = new Map<string, LogGroupPipeline>();
  /** Told after this service changed a log group's metric filters (a cluster announces it: src/cluster). */
  onFiltersChange: ((logGroupName: string) => void) | undefined;
  /** This service's own filter writes, by log group: reloadFilters skips those. */
  readonly #writes = new WriteMarks();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly identity: Identity,
  ) {}

  async load(): Promise<void> {
    const filters = await this.store.listMetricFilters({});
    const byGroup = new Map<string, MetricFilter[]>();
    for (const f of filters) byGroup.set(f.logGroupName, [...(byGroup.get(f.logGroupName) ?? []), f]);
    for (const [g, fs] of byGroup) this.pipelines.set(g, new LogGroupPipeline(fs));
    this.monotone.clear();
  }

  /**
   * Re-reads the metric filters of the named log groups (of all when `groups` is undefined) from the store,
   * where another instance may have changed them (src/cluster), and rebuilds the pipelines that differ. A
   * group whose filters this service changed while the store was being read is left as it is.
   */
  async reloadFilters(groups?: readonly string[]): Promise<string[]> {
    const since = this.#writes.now();
    const filters =
      groups === undefined
        ? await this.store.listMetricFilters({})
        : (await Promise.all(groups.map((g) => this.store.listMetricFilters({ logGroupName: g })))).flat();
    const byGroup = new Map<string, MetricFilter[]>();
    for (const f of filters) byGroup.set(f.logGroupName, [...(byGroup.get(f.logGroupName) ?? []), f]);
    const changed: string[] = [];
    for (const g of groups ?? new Set([...this.pipelines.keys(), ...byGroup.keys()])) {
      if (this.#writes.writtenSince(g, since)) continue;
      const now = (byGroup.get(g) ?? []).sort(byName);
      const old = this.pipelines.get(g)?.filters ?? [];
      if (JSON.stringify(now.map(filterKey)) === JSON.stringify(old.map(filterKey))) continue;
      if (now.length === 0) this.pipelines.delete(g);
      else this.pipelines.set(g, new LogGroupPipeline(now));
      changed.push(g);
    }
    this.#writes.forgetUpTo(since);
    if (changed.length > 0) this.monotone.clear();
    return changed;
  }

  /** Runs one change of a group's filters, marked at its start and end, and tells onFiltersChange after it. */
  private writeFilters<T>(logGroupName: string, run: () => Promise<T>): Promise<T> {
    return this.#writes.around(logGroupName, run, () => this.onFiltersChange?.(logGroupName));
  }

  /**
   * Whether every metric filter publishing this metric has a non-negative constant value and no default
   * that is negative: its sums can only grow (used to alarm early safely). Custom metrics never qualify.
   */
  publishesOnlyNonNegativeConstants(metric: { namespace: string; metricName: string }): boolean {
    const key = `${metric.namespace}\u0000${metric.metricName}`;
    let known = this.monotone.get(key);
    if (known === undefined) {
      known = this.computeOnlyNonNegativeConstants(metric);
      this.monotone.set(key, known);
    }
    return known;
  }

  /** publishesOnlyNonNegativeConstants by metric (namespace and name); cleared whenever a pipeline changes. */
  private readonly monotone = new Map<string, boolean>();

  private computeOnlyNonNegativeConstants(metric: { namespace: string; metricName: string }): boolean {
    let producers = 0;
    for (const p of this.pipelines.values()) {
      for (const f of p.filters) {
        for (const t of f.metricTransformations) {
          if (t.metricNamespace !== metric.namespace || t.metricName !== metric.metricName) continue;
          producers++;
          const v = Number(t.metricValue);
          if (
            !/^[0-9.eE+]+$/.test(t.metricValue) ||
            !(v >= 0) ||
            (t.defaultValue !== undefined && t.defaultValue < 0)
          )
            return false;
        }
      }
    }
    return producers > 0;
  }

  pipeline(logGroupName: string): LogGroupPipeline | undefined {
    return this.pipelines.get(logGroupName);
  }

  logGroupArn(name: string): string {
    return `arn:aws:logs:${this.identity.region}:${this.identity.account}:log-group:${name}:*`;
  }

  private async requireGroup(name: string): Promise<LogGroup> {
    const g = await this.store.getLogGroup(name);
    if (!g) throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
    return g;
  }

  async createLogGroup(name: unknown, tags: Record<string, string> = {}): Promise<void> {
    const logGroupName = checkLogGroupName(name);
    const created = await this.store.createLogGroup({ logGroupName, creationTime: this.clock.now(), tags });
    if (!created)
      throw new LogsError("ResourceAlreadyExistsException", "The specified log group already exists");
  }

  async deleteLogGroup(name: unknown): Promise<void> {
    const logGroupName = checkLogGroupName(name);
    await this.writeFilters(logGroupName, async () => {
      if (!(await this.store.deleteLogGroup(logGroupName))) {
        throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
      }
      this.pipelines.delete(logGroupName);
      this.monotone.clear();
    });
  }

  async putRetentionPolicy(name: unknown, days: unknown): Promise<void> {
    const g = await this.requireGroup(checkLogGroupName(name));
    await this.store.updateLogGroup({ ...g, retentionInDays: checkRetentionInDays(days) });
  }

  async deleteRetentionPolicy(name: unknown): Promise<void> {
    const g = await this.requireGroup(checkLogGroupName(name));
    const { retentionInDays: _, ...rest } = g;
    await this.store.updateLogGroup(rest);
  }

  async createLogStream(group: unknown, stream: unknown): Promise<void> {
    const logGroupName = checkLogGroupName(group);
    const logStreamName = checkLogStreamName(stream);
    await this.requireGroup(logGroupName);
    const created = await this.store.createLogStream({
      logGroupName,
      logStreamName,
      creationTime: this.clock.now(),
    });
    if (!created)
      throw new LogsError("ResourceAlreadyExistsException", "The specified log stream already exists");
  }

  /** Creates the group and stream when missing (the engine's own sources: files, S3, replay). */
  async ensureStream(logGroupName: string, logStreamName: string): Promise<LogStream> {
    const now = this.clock.now();
    await this.store.createLogGroup({ logGroupName, creationTime: now, tags: {} });
    await this.store.createLogStream({ logGroupName, logStreamName, creationTime: now });
    return (await this.store.getLogStream(logGroupName, logStreamName))!;
  }

  /**
   * PutLogEvents' checks (AWS's batch rules; the group and stream must exist). Returns the events to
   * ingest and the rejected-events report.
   */
  async checkPutLogEvents(
    group: unknown,
    stream: unknown,
    events: unknown,
  ): Promise<{
    logGroupName: string;
    logStreamName: string;
    accepted: { timestamp: number; message: string }[];
    rejected?: RejectedLogEventsInfo;
  }> {
    const logGroupName = checkLogGroupName(group);
    const logStreamName = checkLogStreamName(stream);
    const checked = checkPutLogEventsBatch(
      events,
      this.clock.now(),
      (await this.requireGroup(logGroupName)).retentionInDays,
    );
    if (!(await this.store.getLogStream(logGroupName, logStreamName))) {
      throw new LogsError("ResourceNotFoundException", "The specified log stream does not exist.");
    }
    return { logGroupName, logStreamName, ...checked };
  }

  /** PutMetricFilter: validation, AWS's limits, then the group's pipeline is rebuilt. */
  async putMetricFilter(input: {
    logGroupName: unknown;
    filterName: unknown;
    filterPattern: unknown;
    metricTransformations: unknown;
    emitSystemFieldDimensions?: unknown;
  }): Promise<MetricFilter> {
    const logGroupName = checkLogGroupName(input.logGroupName);
    const filterName = checkFilterName(input.filterName);
    if (typeof input.filterPattern !== "string") {
      throw new LogsError(
        "InvalidParameterException",
        "1 validation error detected: Value null at 'filterPattern' failed to satisfy constraint: Member must not be null",
      );
    }
    const transformations = input.metricTransformations;
    if (!Array.isArray(transformations) || transformations.length !== 1) {
      throw new LogsError(
        "InvalidParameterException",
        `1 validation error detected: Value '${JSON.stringify(transformations ?? null)}' at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1 and Member must have length greater than or equal to 1`,
      );
    }
    const system = (input.emitSystemFieldDimensions ?? []) as string[];
    let regexCount: number;
    try {
      const pattern = compileFilterPattern(input.filterPattern);
      regexCount = pattern.regexCount;
      compileMetricTransformation(transformations[0] as MetricTransformation, pattern, system);
    } catch (e) {
      if (e instanceof InvalidParameterException) throw new LogsError("InvalidParameterException", e.message);
      throw e;
    }
    return this.writeFilters(logGroupName, () =>
      this.storeMetricFilter(
        logGroupName,
        filterName,
        input.filterPattern as string,
        transformations,
        system,
        regexCount,
      ),
    );
  }

  /** PutMetricFilter's second half: the limits against the group's stored filters, then the write. */
  private async storeMetricFilter(
    logGroupName: string,
    filterName: string,
    filterPattern: string,
    transformations: unknown[],
    system: string[],
    regexCount: number,
  ): Promise<MetricFilter> {
    await this.requireGroup(logGroupName);
    const existing = await this.store.listMetricFilters({ logGroupName });
    const others = existing.filter((f) => f.filterName !== filterName);
    if (others.length >= MAX_METRIC_FILTERS_PER_GROUP) {
      throw new LogsError("LimitExceededException", "Resource limit exceeded.");
    }
    if (
      regexCount > 0 &&
      others.filter((f) => compileFilterPattern(f.filterPattern).regexCount > 0).length >=
        MAX_REGEX_FILTERS_PER_GROUP
    ) {
      throw new LogsError("LimitExceededException", "Resource limit exceeded.");
    }
    const previous = existing.find((f) => f.filterName === filterName);
    const filter: MetricFilter = {
      logGroupName,
      filterName,
      filterPattern,
      metricTransformations: [transformations[0] as MetricTransformation],
      ...(system.length > 0 ? { emitSystemFieldDimensions: system } : {}),
      creationTime: previous?.creationTime ?? this.clock.now(),
    };
    await this.store.putMetricFilter(filter);
    this.pipelines.set(logGroupName, new LogGroupPipeline([...others, filter].sort(byName)));
    this.monotone.clear();
    return filter;
  }

  async deleteMetricFilter(group: unknown, name: unknown): Promise<void> {
    const logGroupName = checkLogGroupName(group);
    const filterName = checkFilterName(name);
    await this.requireGroup(logGroupName);
    await this.writeFilters(logGroupName, async () => {
      if (!(await this.store.deleteMetricFilter(logGroupName, filterName))) {
        throw new LogsError("ResourceNotFoundException", "The specified resource does not exist.");
      }
      const rest = await this.store.listMetricFilters({ logGroupName });
      if (rest.length === 0) this.pipelines.delete(logGroupName);
      else this.pipelines.set(logGroupName, new LogGroupPipeline(rest.sort(byName)));
      this.monotone.clear();
    });
  }

  // ---- read APIs (src/logs/queries.ts) ----

  private get naming(): LogsNaming {
    return {
      region: this.identity.region,
      account: this.identity.account,
      metricFilterCount: (g) => this.pipelines.get(g)?.filters.length ?? 0,
    };
  }

  describeLogGroups(input: Parameters<typeof describeLogGroups>[2]) {
    return describeLogGroups(this.store, this.naming, input);
  }

  describeLogStreams(input: Parameters<typeof describeLogStreams>[2]) {
    return describeLogStreams(this.store, this.naming, input);
  }

  getLogEvents(input: Parameters<typeof getLogEvents>[1]) {
    return getLogEvents(this.store, input);
  }

  filterLogEvents(input: Parameters<typeof filterLogEvents>[1]) {
    return filterLogEvents(this.store, input);
  }

  /** DescribeMetricFilters as the API has it: checks and pages (describeMetricFilters lists them all). */
  describeMetricFiltersPage(input: Parameters<typeof describeMetricFilters>[1]) {
    return describeMetricFilters((q) => this.describeMetricFilters(q), input);
  }

  async deleteLogStream(group: unknown, stream: unknown): Promise<void> {
    const logGroupName = checkLogGroupName(group);
    const logStreamName = checkLogStreamName(stream);
    await this.requireGroup(logGroupName);
    if (!(await this.store.deleteLogStream(logGroupName, logStreamName))) {
      throw new LogsError("ResourceNotFoundException", "The specified log stream does not exist.");
    }
  }

  // ---- tags: by log group name (TagLogGroup family) or ARN (TagResource family) ----

  async tagLogGroup(name: unknown, tags: unknown): Promise<void> {
    const g = await this.requireGroup(checkLogGroupName(name));
    const merged = { ...g.tags, ...checkTagMap(tags) };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw new LogsError("LimitExceededException", `A resource can have at most ${MAX_TAGS} tags.`);
    }
    await this.store.updateLogGroup({ ...g, tags: merged });
  }

  async untagLogGroup(name: unknown, keys: unknown, member = "tagKeys"): Promise<void> {
    const g = await this.requireGroup(checkLogGroupName(name));
    const tags = { ...g.tags };
    for (const k of checkTagKeys(keys, member)) delete tags[k];
    await this.store.updateLogGroup({ ...g, tags });
  }

  async listTagsLogGroup(name: unknown): Promise<Record<string, string>> {
    return { ...(await this.requireGroup(checkLogGroupName(name))).tags };
  }

  tagResource(arn: unknown, tags: unknown): Promise<void> {
    return this.tagLogGroup(logGroupOfArn(arn), tags);
  }

  untagResource(arn: unknown, keys: unknown): Promise<void> {
    return this.untagLogGroup(logGroupOfArn(arn), keys);
  }

  listTagsForResource(arn: unknown): Promise<Record<string, string>> {
    return this.listTagsLogGroup(logGroupOfArn(arn));
  }

  describeMetricFilters(query: {
    logGroupName?: string;
    filterNamePrefix?: string;
    metricName?: string;
    metricNamespace?: string;
  }): Promise<MetricFilter[]> {
    return this.store.listMetricFilters(query);
  }
}

/** What makes a filter's pipeline: two records with the same key compile alike. */
function filterKey(f: MetricFilter): unknown[] {
  return [f.filterName, f.filterPattern, f.metricTransformations, f.emitSystemFieldDimensions ?? []];
}

function byName(a: MetricFilter, b: MetricFilter): number {
  return a.filterName < b.filterName ? -1 : a.filterName > b.filterName ? 1 : 0;
}
