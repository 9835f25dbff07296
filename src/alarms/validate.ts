/**
 * Validation and normalization of the alarm APIs' inputs, given as the AWS SDK sends them (PascalCase
 * members). Every function throws a CloudWatchError with AWS's code, and AWS's text where it is known.
 *
 * @example
 *   const config = validatePutMetricAlarm({ AlarmName: "root-usage", MetricName: "RootAccountUsageCount",
 *     Namespace: "CloudTrailMetrics", Statistic: "Sum", Period: 300, EvaluationPeriods: 1, Threshold: 1,
 *     ComparisonOperator: "GreaterThanOrEqualToThreshold" });
 */
export { isSnsTopicArn } from "./validate/actions.js";
export { planAlarmDeletion, validateDeleteAlarms } from "./validate/delete-alarms.js";
export {
  type AlarmType,
  DEFAULT_MAX_RECORDS,
  type DescribeAlarmHistoryQuery,
  type DescribeAlarmsForMetricQuery,
  type DescribeAlarmsQuery,
  validateDescribeAlarmHistory,
  validateDescribeAlarms,
  validateDescribeAlarmsForMetric,
} from "./validate/describe-inputs.js";
export { isAlarmExtendedStatistic } from "./validate/extended-statistic.js";
export {
  type CompositeAlarmContext,
  type ValidatedCompositeAlarm,
  validatePutCompositeAlarm,
} from "./validate/put-composite-alarm.js";
export { validatePutMetricAlarm } from "./validate/put-metric-alarm.js";
export { type SetAlarmStateRequest, validateSetAlarmState } from "./validate/set-alarm-state.js";
