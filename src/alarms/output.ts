/**
 * Alarms as the API returns them (MetricAlarm and CompositeAlarm shapes of API-DA): PascalCase members,
 * timestamps as Date, absent members left out. CloudWatch leaves out what was never set: AlarmDescription,
 * Unit, DatapointsToAlarm, ExtendedStatistic or Statistic, EvaluateLowSampleCountPercentile, StateReasonData.
 */
import type { CompositeAlarm, Dimension, MetricAlarm } from "../store/types.js";

export interface MetricAlarmOutput {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: Date;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: string;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: Date;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  EvaluateLowSampleCountPercentile?: string;
  StateTransitionedTimestamp: Date;
}

export interface CompositeAlarmOutput {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: Date;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  AlarmRule: string;
  StateValue: string;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: Date;
  StateTransitionedTimestamp: Date;
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
}

/** The fields DescribeAlarms returns with ChildrenOfAlarmName (API-DA). */
export type ChildAlarmOutput = Pick<
  MetricAlarmOutput,
  "AlarmName" | "AlarmArn" | "StateValue" | "StateUpdatedTimestamp"
>;
/** The fields DescribeAlarms returns with ParentsOfAlarmName (API-DA). */
export type ParentAlarmOutput = Pick<CompositeAlarmOutput, "AlarmName" | "AlarmArn">;

export function metricAlarmOutput(a: MetricAlarm): MetricAlarmOutput {
  return withoutUndefined({
    AlarmName: a.alarmName,
    AlarmArn: a.alarmArn,
    AlarmDescription: a.alarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(a.alarmConfigurationUpdatedTimestamp),
    ActionsEnabled: a.actionsEnabled,
    OKActions: [...a.okActions],
    AlarmActions: [...a.alarmActions],
    InsufficientDataActions: [...a.insufficientDataActions],
    StateValue: a.stateValue,
    StateReason: a.stateReason,
    StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: new Date(a.stateUpdatedTimestamp),
    MetricName: a.metricName,
    Namespace: a.namespace,
    Statistic: a.statistic,
    ExtendedStatistic: a.extendedStatistic,
    Dimensions: a.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
    Period: a.period,
    Unit: a.unit,
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator,
    TreatMissingData: a.treatMissingData,
    EvaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile,
    StateTransitionedTimestamp: new Date(a.stateTransitionedTimestamp),
  });
}

export function compositeAlarmOutput(a: CompositeAlarm): CompositeAlarmOutput {
  // The service model lists CompositeAlarm's members in this order (unlike MetricAlarm's), and the AWS
  // CLI prints them so.
  return withoutUndefined({
    ActionsEnabled: a.actionsEnabled,
    AlarmActions: [...a.alarmActions],
    AlarmArn: a.alarmArn,
    AlarmConfigurationUpdatedTimestamp: new Date(a.alarmConfigurationUpdatedTimestamp),
    AlarmDescription: a.alarmDescription,
    AlarmName: a.alarmName,
    AlarmRule: a.alarmRule,
    InsufficientDataActions: [...a.insufficientDataActions],
    OKActions: [...a.okActions],
    StateReason: a.stateReason,
    StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: new Date(a.stateUpdatedTimestamp),
    StateValue: a.stateValue,
    StateTransitionedTimestamp: new Date(a.stateTransitionedTimestamp),
    ActionsSuppressor: a.actionsSuppressor,
    ActionsSuppressorWaitPeriod: a.actionsSuppressorWaitPeriod,
    ActionsSuppressorExtensionPeriod: a.actionsSuppressorExtensionPeriod,
  });
}

function withoutUndefined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}
