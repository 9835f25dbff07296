/**
 * The stored alarm after a Put or a SetAlarmState (API-PMA, API-PCA, API-SAS):
 * - a new alarm starts in INSUFFICIENT_DATA with `Unchecked: Initial alarm creation`;
 * - an update replaces the whole configuration, keeps the state, and keeps the tags (Tags "are ignored" on
 *   update; TagResource changes them);
 * - SetAlarmState takes the caller's reason and data verbatim; StateTransitionedTimestamp moves only when the
 *   value changes.
 */
import type {
  Alarm,
  AlarmState,
  CompositeAlarm,
  CompositeAlarmConfig,
  Identity,
  MetricAlarm,
  MetricAlarmConfig,
} from "../store/types.js";
import { alarmArn } from "./arn.js";
import { validationError } from "./errors.js";
import { INITIAL_ALARM_REASON } from "./reason.js";
import type { SetAlarmStateRequest } from "./validate.js";

export function putMetricAlarmRecord(
  config: MetricAlarmConfig,
  existing: Alarm | undefined,
  identity: Identity,
  now: number,
): MetricAlarm {
  if (existing?.alarmType === "CompositeAlarm") throw sameNameOtherType(config.alarmName, "composite");
  return {
    ...config,
    tags: existing?.tags ?? config.tags,
    ...stateOf(existing, now),
    alarmType: "MetricAlarm",
    alarmArn: alarmArn(identity, config.alarmName),
    alarmConfigurationUpdatedTimestamp: now,
  };
}

export function putCompositeAlarmRecord(
  config: CompositeAlarmConfig,
  existing: Alarm | undefined,
  identity: Identity,
  now: number,
): CompositeAlarm {
  if (existing?.alarmType === "MetricAlarm") throw sameNameOtherType(config.alarmName, "metric");
  return {
    ...config,
    tags: existing?.tags ?? config.tags,
    ...stateOf(existing, now),
    alarmType: "CompositeAlarm",
    alarmArn: alarmArn(identity, config.alarmName),
    alarmConfigurationUpdatedTimestamp: now,
  };
}

export function setAlarmStateRecord(alarm: Alarm, request: SetAlarmStateRequest, now: number): AlarmState {
  return {
    stateValue: request.stateValue,
    stateReason: request.stateReason,
    stateReasonData: request.stateReasonData,
    stateUpdatedTimestamp: now,
    stateTransitionedTimestamp:
      request.stateValue === alarm.stateValue ? alarm.stateTransitionedTimestamp : now,
  };
}

function stateOf(existing: Alarm | undefined, now: number): AlarmState {
  if (existing === undefined)
    return {
      stateValue: "INSUFFICIENT_DATA",
      stateReason: INITIAL_ALARM_REASON,
      stateUpdatedTimestamp: now,
      stateTransitionedTimestamp: now,
    };
  return {
    stateValue: existing.stateValue,
    stateReason: existing.stateReason,
    stateReasonData: existing.stateReasonData,
    stateUpdatedTimestamp: existing.stateUpdatedTimestamp,
    stateTransitionedTimestamp: existing.stateTransitionedTimestamp,
  };
}

function sameNameOtherType(name: string, existingKind: "metric" | "composite") {
  return validationError(`An alarm named ${name} already exists as a ${existingKind} alarm.`);
}
