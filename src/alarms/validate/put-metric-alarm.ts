/**
 * PutMetricAlarm input → MetricAlarmConfig (alarms.md §2). Model constraints first, all reported at once in
 * AWS's `N validation errors detected: ...` form; then CloudWatch's own rules, the first failure thrown.
 *
 * Out of scope (rejected with InvalidParameterValue, naming the feature): metric math (`Metrics`), anomaly
 * detection (`ThresholdMetricId` and the three band operators), Metrics Insights and PromQL
 * (`EvaluationCriteria`, `EvaluationInterval`).
 */
import { STANDARD_UNITS } from "../../metrics/transformation.js";
import type {
  ComparisonOperator,
  Dimension,
  MetricAlarmConfig,
  Statistic,
  TreatMissingData,
} from "../../store/types.js";
import { ConstraintChecker } from "../constraints.js";
import { CloudWatchError, validationError } from "../errors.js";
import { checkCommon, readCommon, tagRecord } from "./common.js";
import { isAlarmExtendedStatistic } from "./extended-statistic.js";
import { asInput, type Input, present, readDouble, readInteger, readString, readStructList } from "./read.js";

export const STATISTICS: readonly Statistic[] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
/** The order AWS prints this enum in its constraint message (as captured by an emulator; unverified). */
const STATISTICS_SHOWN = ["Maximum", "SampleCount", "Sum", "Minimum", "Average"];
export const STATIC_OPERATORS: readonly ComparisonOperator[] = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
];
const ANOMALY_OPERATORS = [
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const TREAT_MISSING_DATA: readonly TreatMissingData[] = ["breaching", "notBreaching", "ignore", "missing"];
const LOW_SAMPLE = ["evaluate", "ignore"] as const;
export const MAX_DIMENSIONS = 30;

/** Period × EvaluationPeriods: one day for periods under an hour, seven days otherwise (API-PMA). */
export const MAX_WINDOW_SHORT_PERIODS = 86_400;
export const MAX_WINDOW_LONG_PERIODS = 604_800;

export function validatePutMetricAlarm(raw: unknown): MetricAlarmConfig {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const common = readCommon(input, check);

  const metricName = readString(input, "MetricName");
  check.length("metricName", metricName, 1, 255);
  const namespace = readString(input, "Namespace");
  check.length("namespace", namespace, 1, 255);
  check.pattern("namespace", namespace, /^[^:].*$/s, "[^:].*");
  const statistic = readString(input, "Statistic");
  check.oneOf("statistic", statistic, STATISTICS, STATISTICS_SHOWN);
  const extendedStatistic = readString(input, "ExtendedStatistic");
  const dimensions = readDimensions(input, check);
  const period = readInteger(input, "Period");
  check.range("period", period, 1);
  const unit = readString(input, "Unit");
  check.oneOf("unit", unit, STANDARD_UNITS);
  const evaluationPeriods = readInteger(input, "EvaluationPeriods");
  if (check.required("evaluationPeriods", evaluationPeriods))
    check.range("evaluationPeriods", evaluationPeriods, 1);
  const datapointsToAlarm = readInteger(input, "DatapointsToAlarm");
  check.range("datapointsToAlarm", datapointsToAlarm, 1);
  const threshold = readDouble(input, "Threshold");
  const comparisonOperator = readString(input, "ComparisonOperator");
  if (check.required("comparisonOperator", comparisonOperator))
    check.oneOf("comparisonOperator", comparisonOperator, [...STATIC_OPERATORS, ...ANOMALY_OPERATORS]);
  const treatMissingData = readString(input, "TreatMissingData");
  check.length("treatMissingData", treatMissingData, 1, 255);
  const lowSample = readString(input, "EvaluateLowSampleCountPercentile");
  check.length("evaluateLowSampleCountPercentile", lowSample, 1, 255);
  const thresholdMetricId = readString(input, "ThresholdMetricId");
  check.length("thresholdMetricId", thresholdMetricId, 1, 255);
  check.throwIfAny();

  for (const member of ["Metrics", "ThresholdMetricId", "EvaluationCriteria", "EvaluationInterval"]) {
    if (present(input, member)) throw outOfScope(member);
  }
  if (ANOMALY_OPERATORS.includes(comparisonOperator as string))
    throw new CloudWatchError(
      "InvalidParameterValue",
      `ComparisonOperator ${comparisonOperator} is only for anomaly detection alarms, which trailwatch does not support. Use GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold.`,
    );
  // Recorded wording: "MetricName must not be null" (ValidationError); the siblings follow it.
  if (metricName === undefined) throw validationError("MetricName must not be null");
  if (namespace === undefined) throw validationError("Namespace must not be null");
  if (statistic !== undefined && extendedStatistic !== undefined)
    throw validationError("Statistic and ExtendedStatistic cannot both be specified.");
  if (statistic === undefined && extendedStatistic === undefined)
    throw validationError("Either Statistic or ExtendedStatistic must be specified.");
  if (extendedStatistic !== undefined && !isAlarmExtendedStatistic(extendedStatistic))
    throw validationError(
      `Invalid ExtendedStatistic '${extendedStatistic}': use p0.0 to p100, tmNN, tcNN, tsNN, wmNN, IQM, PR(n:m), or TM, TC, TS or WM(X%:X%) with X between 10 and 90.`,
    );
  if (period === undefined) throw validationError("Period must not be null");
  // Recorded in 2020 as "Period must be 10, 30 or a multiple of 60"; 20 has been accepted since.
  if (!(period === 10 || period === 20 || period === 30 || period % 60 === 0))
    throw validationError("Period must be 10, 20, 30 or a multiple of 60");
  checkWindow(period, evaluationPeriods as number);
  if (datapointsToAlarm !== undefined && datapointsToAlarm > (evaluationPeriods as number))
    throw validationError("DatapointsToAlarm must be less than or equal to EvaluationPeriods");
  if (threshold === undefined) throw validationError("Threshold must not be null");
  if (treatMissingData !== undefined && !TREAT_MISSING_DATA.includes(treatMissingData as TreatMissingData))
    throw validationError(
      `Invalid TreatMissingData '${treatMissingData}'. Valid values are: breaching, notBreaching, ignore, missing.`,
    );
  if (lowSample !== undefined && !(LOW_SAMPLE as readonly string[]).includes(lowSample))
    throw validationError(
      `Invalid EvaluateLowSampleCountPercentile '${lowSample}'. Valid values are: evaluate, ignore.`,
    );
  checkCommon(common, "metric");
  checkDimensionNames(dimensions);

  return {
    alarmName: common.alarmName as string,
    alarmDescription: common.alarmDescription,
    actionsEnabled: common.actionsEnabled ?? true,
    okActions: common.actions.OKActions,
    alarmActions: common.actions.AlarmActions,
    insufficientDataActions: common.actions.InsufficientDataActions,
    metricName,
    namespace,
    statistic: statistic as Statistic | undefined,
    extendedStatistic,
    dimensions,
    period,
    unit: unit as MetricAlarmConfig["unit"],
    evaluationPeriods: evaluationPeriods as number,
    datapointsToAlarm,
    threshold,
    comparisonOperator: comparisonOperator as ComparisonOperator,
    treatMissingData: (treatMissingData as TreatMissingData | undefined) ?? "missing",
    evaluateLowSampleCountPercentile: lowSample as MetricAlarmConfig["evaluateLowSampleCountPercentile"],
    tags: tagRecord(common.tags),
  };
}

export function readDimensions(input: Input, check: ConstraintChecker): Dimension[] {
  const list = readStructList(input, "Dimensions") ?? [];
  check.length("dimensions", list, 0, MAX_DIMENSIONS);
  return list.map((d, i) => {
    const name = readString(d, "Name");
    const value = readString(d, "Value");
    const path = `dimensions.${i + 1}.member`;
    if (check.required(`${path}.name`, name)) check.length(`${path}.name`, name, 1, 255);
    if (check.required(`${path}.value`, value)) check.length(`${path}.value`, value, 1, 1024);
    return { Name: name as string, Value: value as string };
  });
}

export function checkDimensionNames(dimensions: readonly Dimension[]): void {
  const names = new Set<string>();
  for (const d of dimensions) {
    if (names.has(d.Name)) throw validationError(`Duplicate dimension name '${d.Name}'.`);
    names.add(d.Name);
  }
}

function checkWindow(period: number, evaluationPeriods: number): void {
  const seconds = period * evaluationPeriods;
  if (period < 3600 && seconds > MAX_WINDOW_SHORT_PERIODS)
    throw validationError(
      `Period * EvaluationPeriods must be at most ${MAX_WINDOW_SHORT_PERIODS} seconds (one day) for a Period under one hour; it is ${seconds}.`,
    );
  if (seconds > MAX_WINDOW_LONG_PERIODS)
    throw validationError(
      `Period * EvaluationPeriods must be at most ${MAX_WINDOW_LONG_PERIODS} seconds (seven days); it is ${seconds}.`,
    );
}

function outOfScope(member: string): CloudWatchError {
  const what: Record<string, string> = {
    Metrics: "metric math alarms (Metrics)",
    ThresholdMetricId: "anomaly detection alarms (ThresholdMetricId)",
    EvaluationCriteria: "Metrics Insights and PromQL alarms (EvaluationCriteria)",
    EvaluationInterval: "Metrics Insights and PromQL alarms (EvaluationInterval)",
  };
  return new CloudWatchError(
    "InvalidParameterValue",
    `trailwatch does not support ${what[member]}: an alarm watches one metric given by MetricName, Namespace and Dimensions.`,
  );
}
