import { alarmNameOf } from "../alarms/arn.js";
import { describeAlarms, describeAlarmsForMetric } from "../alarms/describe.js";
import { invalidType, resourceNotFound } from "../alarms/errors.js";
import {
  alarmCreatedHistory,
  alarmDeletedHistory,
  alarmUpdatedHistory,
  historyPage,
  historyStoreQuery,
  stateUpdateHistory,
} from "../alarms/history.js";
import { putCompositeAlarmRecord, putMetricAlarmRecord, setAlarmStateRecord } from "../alarms/records.js";
import {
  planAlarmDeletion,
  validateDeleteAlarms,
  validateDescribeAlarmHistory,
  validateDescribeAlarms,
  validateDescribeAlarmsForMetric,
  validatePutCompositeAlarm,
  validatePutMetricAlarm,
  validateSetAlarmState,
} from "../alarms/validate.js";
import { constraintViolation, invalidValue } from "../metrics/errors.js";
import { getMetricData } from "../metrics/get-metric-data.js";
import { type GetMetricStatisticsInput, getMetricStatistics } from "../metrics/get-metric-statistics.js";
import { listMetrics } from "../metrics/list-metrics.js";
import { putMetricData } from "../metrics/put-metric-data.js";
import type { Store } from "../store/store.js";
import type { Identity, MetricAggregate, MetricId } from "../store/types.js";
import type { AlarmRunner } from "./alarm-runner.js";
import type { Clock } from "./clock.js";

/** The operations that write alarms: what a cluster instance that is not the evaluator hands over. */
export type AlarmWrite =
  | "putMetricAlarm"
  | "putCompositeAlarm"
  | "deleteAlarms"
  | "setAlarmState"
  | "enableAlarmActions"
  | "disableAlarmActions"
  | "tagResource"
  | "untagResource";

/**
 * Where an alarm write runs: a promise when it runs elsewhere (src/cluster forwards it to the evaluator),
 * undefined to run it here.
 */
export type AlarmWriteRoute = (operation: AlarmWrite, raw: unknown) => Promise<void> | undefined;

/**
 * CloudWatch's alarm operations over the engine: each takes the request as the AWS SDK sends it
 * (PascalCase members), validates it with AWS's rules and answers in AWS's shape. One handler per
 * operation whatever the wire protocol; the API layer only translates bytes.
 */
export class CloudWatchService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly identity: Identity,
    private readonly runner: AlarmRunner,
    /** Stores custom-metric aggregates and hands them to alarm evaluation. */
    private readonly publish: (aggregates: MetricAggregate[]) => Promise<void>,
  ) {}

  #route: AlarmWriteRoute | undefined;

  /** Sends alarm writes through `route` (undefined: all run here, the default). */
  routeAlarmWrites(route: AlarmWriteRoute | undefined): void {
    this.#route = route;
  }

  // ---- metrics ----

  getMetricStatistics(raw: unknown) {
    return getMetricStatistics(raw as GetMetricStatisticsInput, this.reader, this.clock.now());
  }

  getMetricData(raw: unknown) {
    return getMetricData(raw as Parameters<typeof getMetricData>[0], this.reader, this.clock.now());
  }

  async listMetrics(raw: unknown) {
    const metrics = await this.store.listMetrics({});
    return listMetrics((raw ?? {}) as Parameters<typeof listMetrics>[0], metrics, this.clock.now());
  }

  async putMetricData(raw: unknown): Promise<void> {
    const aggregates = putMetricData(raw as Parameters<typeof putMetricData>[0], this.clock.now());
    await this.publish(aggregates);
  }

  private readonly reader = (metric: MetricId, from: number, to: number) =>
    this.store.queryAggregates(metric, from, to);

  async putMetricAlarm(raw: unknown): Promise<void> {
    const routed = this.#route?.("putMetricAlarm", raw);
    if (routed) return routed;
    const config = validatePutMetricAlarm(raw);
    const now = this.clock.now();
    const existing = this.runner.get(config.alarmName);
    const record = putMetricAlarmRecord(config, existing, this.identity, now);
    await this.runner.put(
      record,
      existing ? alarmUpdatedHistory(existing, record, now) : alarmCreatedHistory(record, now),
    );
  }

  async putCompositeAlarm(raw: unknown): Promise<void> {
    const routed = this.#route?.("putCompositeAlarm", raw);
    if (routed) return routed;
    const { config } = validatePutCompositeAlarm(raw, {
      alarmExists: (name) => this.runner.get(name) !== undefined,
    });
    const now = this.clock.now();
    const existing = this.runner.get(config.alarmName);
    const record = putCompositeAlarmRecord(config, existing, this.identity, now);
    await this.runner.put(
      record,
      existing ? alarmUpdatedHistory(existing, record, now) : alarmCreatedHistory(record, now),
    );
  }

  async deleteAlarms(raw: unknown): Promise<void> {
    const routed = this.#route?.("deleteAlarms", raw);
    if (routed) return routed;
    const names = validateDeleteAlarms(raw);
    const now = this.clock.now();
    for (const alarm of planAlarmDeletion(names, this.runner.list())) {
      await this.runner.delete(alarm.alarmName, alarmDeletedHistory(alarm, now));
    }
  }

  describeAlarms(raw: unknown) {
    return describeAlarms(this.runner.list(), validateDescribeAlarms(raw ?? {}));
  }

  describeAlarmsForMetric(raw: unknown) {
    return describeAlarmsForMetric(this.runner.list(), validateDescribeAlarmsForMetric(raw));
  }

  async describeAlarmHistory(raw: unknown) {
    const query = validateDescribeAlarmHistory(raw ?? {});
    return historyPage(await this.store.queryAlarmHistory(historyStoreQuery(query)), query);
  }

  /** SetAlarmState: temporary for a metric alarm, which returns to its computed state at the next evaluation. */
  async setAlarmState(raw: unknown): Promise<void> {
    const routed = this.#route?.("setAlarmState", raw);
    if (routed) return routed;
    const request = validateSetAlarmState(raw);
    const alarm = this.runner.get(request.alarmName);
    if (!alarm) throw resourceNotFound();
    const now = this.clock.now();
    const state = setAlarmStateRecord(alarm, request, now);
    await this.runner.setState(alarm, state, stateUpdateHistory(alarm, state, now));
    this.runner.wake(alarm.alarmName);
  }

  enableAlarmActions(raw: unknown): Promise<void> {
    return this.#route?.("enableAlarmActions", raw) ?? this.setActionsEnabled(raw, true);
  }

  disableAlarmActions(raw: unknown): Promise<void> {
    return this.#route?.("disableAlarmActions", raw) ?? this.setActionsEnabled(raw, false);
  }

  // ---- tags (alarms are the only taggable CloudWatch resource trailwatch has) ----

  async tagResource(raw: unknown): Promise<void> {
    const routed = this.#route?.("tagResource", raw);
    if (routed) return routed;
    const input = (raw ?? {}) as { ResourceARN?: unknown; Tags?: unknown };
    const alarm = this.taggedAlarm(input.ResourceARN);
    const tags = { ...alarm.tags };
    if (!Array.isArray(input.Tags)) throw invalidType("Tags", "a list of structures", input.Tags ?? null);
    input.Tags.forEach((t: unknown, i: number) => {
      const { Key, Value } = (t ?? {}) as { Key?: unknown; Value?: unknown };
      if (typeof Key !== "string" || Key.length < 1 || Key.length > 128)
        throw constraintViolation(
          Key ?? null,
          `tags.${i + 1}.member.key`,
          "Member must have length less than or equal to 128 and greater than or equal to 1",
        );
      if (typeof Value !== "string" || Value.length > 256)
        throw constraintViolation(
          Value ?? null,
          `tags.${i + 1}.member.value`,
          "Member must have length less than or equal to 256",
        );
      tags[Key] = Value;
    });
    if (Object.keys(tags).length > 50) throw invalidValue(`${Object.keys(tags).length} tags`, "Tags");
    await this.runner.replace({ ...alarm, tags });
  }

  async untagResource(raw: unknown): Promise<void> {
    const routed = this.#route?.("untagResource", raw);
    if (routed) return routed;
    const input = (raw ?? {}) as { ResourceARN?: unknown; TagKeys?: unknown };
    const alarm = this.taggedAlarm(input.ResourceARN);
    if (!Array.isArray(input.TagKeys) || input.TagKeys.some((k) => typeof k !== "string"))
      throw invalidType("TagKeys", "a list of strings", input.TagKeys ?? null);
    const tags = { ...alarm.tags };
    for (const k of input.TagKeys as string[]) delete tags[k];
    await this.runner.replace({ ...alarm, tags });
  }

  listTagsForResource(raw: unknown): { Tags: { Key: string; Value: string }[] } {
    const alarm = this.taggedAlarm(((raw ?? {}) as { ResourceARN?: unknown }).ResourceARN);
    return { Tags: Object.entries(alarm.tags).map(([Key, Value]) => ({ Key, Value })) };
  }

  /** The alarm a TagResource-family ARN names; AWS's ResourceNotFoundException when there is none. */
  private taggedAlarm(arn: unknown) {
    if (typeof arn !== "string" || arn.length < 1 || arn.length > 1024)
      throw constraintViolation(
        arn ?? null,
        "resourceARN",
        "Member must have length greater than or equal to 1",
      );
    const name = alarmNameOf(arn);
    const alarm = name === arn ? undefined : this.runner.get(name);
    if (!alarm || alarm.alarmArn !== arn) {
      throw Object.assign(new Error(`Alarm ${arn} not found`), { name: "ResourceNotFoundException" });
    }
    return alarm;
  }

  private async setActionsEnabled(raw: unknown, enabled: boolean): Promise<void> {
    // Same list rules as DeleteAlarms (1–100 names); unknown names are ignored, as AWS does.
    const names = validateDeleteAlarms(raw);
    for (const name of names) {
      const alarm = this.runner.get(name);
      if (alarm && alarm.actionsEnabled !== enabled)
        await this.runner.replace({ ...alarm, actionsEnabled: enabled });
    }
  }
}
