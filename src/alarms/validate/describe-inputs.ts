/** The read APIs' inputs: DescribeAlarms, DescribeAlarmsForMetric, DescribeAlarmHistory (API-DA, API-DAH). */
import { STANDARD_UNITS } from "../../metrics/transformation.js";
import type { AlarmStateValue, Dimension, HistoryItemType, Statistic } from "../../store/types.js";
import { ConstraintChecker } from "../constraints.js";
import { validationError } from "../errors.js";
import { isAlarmExtendedStatistic } from "./extended-statistic.js";
import { checkDimensionNames, readDimensions, STATISTICS } from "./put-metric-alarm.js";
import {
  asInput,
  type Input,
  present,
  readInteger,
  readString,
  readStringList,
  readTimestamp,
} from "./read.js";
import { STATE_VALUES, STATE_VALUES_SHOWN } from "./set-alarm-state.js";

export type AlarmType = "MetricAlarm" | "CompositeAlarm";
const ALARM_TYPES: readonly AlarmType[] = ["CompositeAlarm", "MetricAlarm"];
const HISTORY_ITEM_TYPES: readonly HistoryItemType[] = ["ConfigurationUpdate", "StateUpdate", "Action"];
/** Item types the API accepts that trailwatch never records (alarm contributors are a Metrics Insights feature). */
const CONTRIBUTOR_ITEM_TYPES = ["AlarmContributorStateUpdate", "AlarmContributorAction"];
/** API default page size when MaxRecords is omitted (ours; AWS does not document it). */
export const DEFAULT_MAX_RECORDS = 50;

export interface DescribeAlarmsQuery {
  alarmNames?: string[];
  alarmNamePrefix?: string;
  /** Default: metric alarms only (API-DA). */
  alarmTypes: AlarmType[];
  childrenOfAlarmName?: string;
  parentsOfAlarmName?: string;
  stateValue?: AlarmStateValue;
  actionPrefix?: string;
  maxRecords: number;
  nextToken?: string;
}

export function validateDescribeAlarms(raw: unknown): DescribeAlarmsQuery {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const alarmNames = readStringList(input, "AlarmNames");
  check.length("alarmNames", alarmNames, 0, 100);
  alarmNames?.forEach((n, i) => {
    check.length(`alarmNames.${i + 1}.member`, n, 1, 255);
  });
  const alarmNamePrefix = readString(input, "AlarmNamePrefix");
  check.length("alarmNamePrefix", alarmNamePrefix, 1, 255);
  const alarmTypes = readAlarmTypes(input, check);
  const childrenOfAlarmName = readString(input, "ChildrenOfAlarmName");
  check.length("childrenOfAlarmName", childrenOfAlarmName, 1, 255);
  const parentsOfAlarmName = readString(input, "ParentsOfAlarmName");
  check.length("parentsOfAlarmName", parentsOfAlarmName, 1, 255);
  const stateValue = readString(input, "StateValue");
  check.oneOf("stateValue", stateValue, STATE_VALUES, STATE_VALUES_SHOWN);
  const actionPrefix = readString(input, "ActionPrefix");
  check.length("actionPrefix", actionPrefix, 1, 1024);
  const maxRecords = readInteger(input, "MaxRecords");
  check.range("maxRecords", maxRecords, 1, 100);
  const nextToken = readString(input, "NextToken");
  check.throwIfAny();

  if (alarmNames !== undefined && alarmNamePrefix !== undefined)
    throw validationError("AlarmNames and AlarmNamePrefix cannot be specified together.");
  if (childrenOfAlarmName !== undefined && parentsOfAlarmName !== undefined)
    throw validationError("ChildrenOfAlarmName and ParentsOfAlarmName cannot be specified together.");
  // API-DA: with either, "you cannot specify any other parameters in the request except for MaxRecords and
  // NextToken. If you do so, you receive a validation error."
  const family =
    childrenOfAlarmName !== undefined
      ? "ChildrenOfAlarmName"
      : parentsOfAlarmName !== undefined
        ? "ParentsOfAlarmName"
        : undefined;
  if (family !== undefined) {
    const others = ["AlarmNames", "AlarmNamePrefix", "AlarmTypes", "StateValue", "ActionPrefix"].filter((m) =>
      present(input, m),
    );
    if (others.length > 0)
      throw validationError(
        `${family} cannot be combined with ${others.join(", ")}; only MaxRecords and NextToken may be given with it.`,
      );
  }
  return {
    alarmNames: alarmNames === undefined ? undefined : [...new Set(alarmNames)],
    alarmNamePrefix,
    alarmTypes: alarmTypes ?? ["MetricAlarm"],
    childrenOfAlarmName,
    parentsOfAlarmName,
    stateValue: stateValue as AlarmStateValue | undefined,
    actionPrefix,
    maxRecords: maxRecords ?? DEFAULT_MAX_RECORDS,
    nextToken,
  };
}

export interface DescribeAlarmsForMetricQuery {
  metricName: string;
  namespace: string;
  statistic?: Statistic;
  extendedStatistic?: string;
  /** The metric's full dimension set: alarms match only on the same set (API: "you must specify them"). */
  dimensions: Dimension[];
  period?: number;
  unit?: string;
}

export function validateDescribeAlarmsForMetric(raw: unknown): DescribeAlarmsForMetricQuery {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const metricName = readString(input, "MetricName");
  if (check.required("metricName", metricName)) check.length("metricName", metricName, 1, 255);
  const namespace = readString(input, "Namespace");
  if (check.required("namespace", namespace)) {
    check.length("namespace", namespace, 1, 255);
    check.pattern("namespace", namespace, /^[^:].*$/s, "[^:].*");
  }
  const statistic = readString(input, "Statistic");
  check.oneOf("statistic", statistic, STATISTICS);
  const extendedStatistic = readString(input, "ExtendedStatistic");
  const dimensions = readDimensions(input, check);
  const period = readInteger(input, "Period");
  check.range("period", period, 1);
  const unit = readString(input, "Unit");
  check.oneOf("unit", unit, STANDARD_UNITS);
  check.throwIfAny();

  if (statistic !== undefined && extendedStatistic !== undefined)
    throw validationError("Statistic and ExtendedStatistic cannot both be specified.");
  if (extendedStatistic !== undefined && !isAlarmExtendedStatistic(extendedStatistic))
    throw validationError(`Invalid ExtendedStatistic '${extendedStatistic}'.`);
  checkDimensionNames(dimensions);
  return {
    metricName: metricName as string,
    namespace: namespace as string,
    statistic: statistic as Statistic | undefined,
    extendedStatistic,
    dimensions,
    period,
    unit,
  };
}

export interface DescribeAlarmHistoryQuery {
  alarmName?: string;
  /** Default: metric alarms only (API-DAH). */
  alarmTypes: AlarmType[];
  historyItemType?: string;
  /** Inclusive bounds, epoch ms. */
  startDate?: number;
  endDate?: number;
  maxRecords: number;
  nextToken?: string;
  /** TimestampDescending (newest first) unless asked. */
  ascending: boolean;
}

export function validateDescribeAlarmHistory(raw: unknown): DescribeAlarmHistoryQuery {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const alarmName = readString(input, "AlarmName");
  check.length("alarmName", alarmName, 1, 255);
  const alarmTypes = readAlarmTypes(input, check);
  const historyItemType = readString(input, "HistoryItemType");
  check.oneOf("historyItemType", historyItemType, [...HISTORY_ITEM_TYPES, ...CONTRIBUTOR_ITEM_TYPES]);
  const startDate = readTimestamp(input, "StartDate");
  const endDate = readTimestamp(input, "EndDate");
  const maxRecords = readInteger(input, "MaxRecords");
  check.range("maxRecords", maxRecords, 1, 100);
  const nextToken = readString(input, "NextToken");
  const scanBy = readString(input, "ScanBy");
  check.oneOf("scanBy", scanBy, ["TimestampDescending", "TimestampAscending"]);
  check.throwIfAny();
  return {
    alarmName,
    alarmTypes: alarmTypes ?? ["MetricAlarm"],
    historyItemType,
    startDate,
    endDate,
    maxRecords: maxRecords ?? DEFAULT_MAX_RECORDS,
    nextToken,
    ascending: scanBy === "TimestampAscending",
  };
}

function readAlarmTypes(input: Input, check: ConstraintChecker): AlarmType[] | undefined {
  const types = readStringList(input, "AlarmTypes");
  types?.forEach((t, i) => {
    check.oneOf(`alarmTypes.${i + 1}.member`, t, ALARM_TYPES);
  });
  return types === undefined ? undefined : ([...new Set(types)] as AlarmType[]);
}
