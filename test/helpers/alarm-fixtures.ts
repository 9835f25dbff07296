/** The seed's root-usage alarm and one of its transitions, as notification tests render them. */
import type { AlarmTransition } from "../../src/engine/transitions.js";
import type { CompositeAlarm, Identity, MetricAlarm } from "../../src/store/types.js";

export const IDENTITY: Identity = { account: "123456789012", region: "us-east-1" };

export const REASON =
  "Threshold Crossed: 1 datapoint [2.0 (10/11/22 16:20:00)] was greater than or equal to the threshold (1.0).";

/** The "Root account usage" alarm in ALARM, notifying the security-alerts topic. */
export function rootAlarm(overrides: Partial<MetricAlarm> = {}): MetricAlarm {
  return {
    alarmType: "MetricAlarm",
    alarmName: "Root account usage",
    alarmDescription: "The root user's credentials were used (not by an AWS service on its behalf).",
    actionsEnabled: true,
    okActions: [],
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:security-alerts"],
    insufficientDataActions: [],
    metricName: "RootAccountUsageCount",
    namespace: "CloudTrailMetrics",
    statistic: "Sum",
    dimensions: [],
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "missing",
    tags: {},
    alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage",
    alarmConfigurationUpdatedTimestamp: 0,
    stateValue: "ALARM",
    stateReason: REASON,
    stateUpdatedTimestamp: 0,
    stateTransitionedTimestamp: 0,
    ...overrides,
  };
}

/** An OK -> ALARM transition of `alarm` at 2022-11-10T16:25:41.500Z, with REASON unless `extra` says otherwise. */
export function transitionOf(
  alarm: MetricAlarm | CompositeAlarm,
  extra: Partial<AlarmTransition> = {},
): AlarmTransition {
  return {
    alarm,
    oldState: "OK",
    newState: "ALARM",
    timestamp: Date.parse("2022-11-10T16:25:41.500Z"),
    reason: REASON,
    ...extra,
  };
}
