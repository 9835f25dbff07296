/**
 * DescribeAlarms and DescribeAlarmsForMetric over the alarms in memory: filtering, name order, pagination.
 *
 * - Alarms come back in name order (code-unit order), metric and composite alarms paged together; the
 *   NextToken is the last name returned.
 * - ActionPrefix matches any action of the three lists.
 * - ChildrenOfAlarmName: the alarms the named composite's rule references, with AlarmName, AlarmArn,
 *   StateValue and StateUpdatedTimestamp only; ParentsOfAlarmName: the composites whose rule references the
 *   alarm, with AlarmName and AlarmArn only (API-DA). An unknown name gives empty lists.
 */
import type { Alarm, MetricAlarm } from "../store/types.js";
import { alarmNameOf } from "./arn.js";
import { parseAlarmRule, ruleChildNames } from "./composite.js";
import {
  type ChildAlarmOutput,
  type CompositeAlarmOutput,
  compositeAlarmOutput,
  type MetricAlarmOutput,
  metricAlarmOutput,
  type ParentAlarmOutput,
} from "./output.js";
import { decodeNextToken, encodeNextToken } from "./pagination.js";
import type { DescribeAlarmsForMetricQuery, DescribeAlarmsQuery } from "./validate.js";

export interface DescribeAlarmsOutput {
  MetricAlarms: (MetricAlarmOutput | ChildAlarmOutput)[];
  CompositeAlarms: (CompositeAlarmOutput | ChildAlarmOutput | ParentAlarmOutput)[];
  NextToken?: string;
}

export function describeAlarms(alarms: readonly Alarm[], query: DescribeAlarmsQuery): DescribeAlarmsOutput {
  const after = query.nextToken === undefined ? undefined : decodeNextToken("alarms", query.nextToken);
  const matching = matchingAlarms(alarms, query).sort((a, b) => compareNames(a.alarmName, b.alarmName));
  const rest = after === undefined ? matching : matching.filter((a) => compareNames(a.alarmName, after) > 0);
  const page = rest.slice(0, query.maxRecords);

  const out: DescribeAlarmsOutput = { MetricAlarms: [], CompositeAlarms: [] };
  for (const a of page) {
    if (query.childrenOfAlarmName !== undefined) {
      (a.alarmType === "MetricAlarm" ? out.MetricAlarms : out.CompositeAlarms).push(childOutput(a));
    } else if (a.alarmType === "MetricAlarm") {
      out.MetricAlarms.push(metricAlarmOutput(a));
    } else {
      out.CompositeAlarms.push(
        query.parentsOfAlarmName !== undefined
          ? { AlarmName: a.alarmName, AlarmArn: a.alarmArn }
          : compositeAlarmOutput(a),
      );
    }
  }
  if (rest.length > page.length) out.NextToken = encodeNextToken("alarms", page[page.length - 1].alarmName);
  return out;
}

function matchingAlarms(alarms: readonly Alarm[], query: DescribeAlarmsQuery): Alarm[] {
  if (query.childrenOfAlarmName !== undefined) {
    const parent = alarms.find((a) => a.alarmName === query.childrenOfAlarmName);
    if (parent?.alarmType !== "CompositeAlarm") return [];
    const children = new Set(ruleChildNames(parseAlarmRule(parent.alarmRule)));
    return alarms.filter((a) => children.has(a.alarmName));
  }
  if (query.parentsOfAlarmName !== undefined) {
    const child = alarmNameOf(query.parentsOfAlarmName);
    return alarms.filter(
      (a) => a.alarmType === "CompositeAlarm" && ruleChildNames(parseAlarmRule(a.alarmRule)).includes(child),
    );
  }
  const names = query.alarmNames === undefined ? undefined : new Set(query.alarmNames);
  const prefix = query.actionPrefix;
  return alarms.filter(
    (a) =>
      query.alarmTypes.includes(a.alarmType) &&
      (names === undefined || names.has(a.alarmName)) &&
      (query.alarmNamePrefix === undefined || a.alarmName.startsWith(query.alarmNamePrefix)) &&
      (query.stateValue === undefined || a.stateValue === query.stateValue) &&
      (prefix === undefined ||
        [...a.okActions, ...a.alarmActions, ...a.insufficientDataActions].some((arn) =>
          arn.startsWith(prefix),
        )),
  );
}

function childOutput(a: Alarm): ChildAlarmOutput {
  return {
    AlarmName: a.alarmName,
    AlarmArn: a.alarmArn,
    StateValue: a.stateValue,
    StateUpdatedTimestamp: new Date(a.stateUpdatedTimestamp),
  };
}

export interface DescribeAlarmsForMetricOutput {
  MetricAlarms: MetricAlarmOutput[];
}

/**
 * The metric alarms on one metric: same namespace, name and dimension set (in any order), and the optional
 * Statistic / ExtendedStatistic / Period / Unit filters. Name order, no pagination (the API has none).
 */
export function describeAlarmsForMetric(
  alarms: readonly Alarm[],
  query: DescribeAlarmsForMetricQuery,
): DescribeAlarmsForMetricOutput {
  const wanted = dimensionKey(query.dimensions);
  const matching = alarms.filter(
    (a): a is MetricAlarm =>
      a.alarmType === "MetricAlarm" &&
      a.namespace === query.namespace &&
      a.metricName === query.metricName &&
      dimensionKey(a.dimensions) === wanted &&
      (query.statistic === undefined || a.statistic === query.statistic) &&
      (query.extendedStatistic === undefined || a.extendedStatistic === query.extendedStatistic) &&
      (query.period === undefined || a.period === query.period) &&
      (query.unit === undefined || a.unit === query.unit),
  );
  matching.sort((a, b) => compareNames(a.alarmName, b.alarmName));
  return { MetricAlarms: matching.map(metricAlarmOutput) };
}

function dimensionKey(dimensions: readonly { Name: string; Value: string }[]): string {
  return JSON.stringify(dimensions.map((d) => [d.Name, d.Value]).sort((x, y) => compareNames(x[0], y[0])));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
