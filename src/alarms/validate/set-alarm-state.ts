/**
 * SetAlarmState input (API-SAS): StateReason is required (≤1023), StateReasonData must be JSON (≤4000), else
 * `InvalidFormat`. Whether the alarm exists is the caller's `ResourceNotFound`.
 */
import type { AlarmStateValue } from "../../store/types.js";
import { ConstraintChecker } from "../constraints.js";
import { invalidFormat } from "../errors.js";
import { asInput, readString } from "./read.js";

export const STATE_VALUES: readonly AlarmStateValue[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];
/** Recorded from AWS (LocalStack's AWS-validated snapshot): `[INSUFFICIENT_DATA, ALARM, OK]`. */
export const STATE_VALUES_SHOWN = ["INSUFFICIENT_DATA", "ALARM", "OK"];

export interface SetAlarmStateRequest {
  alarmName: string;
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
}

export function validateSetAlarmState(raw: unknown): SetAlarmStateRequest {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const alarmName = readString(input, "AlarmName");
  if (check.required("alarmName", alarmName)) check.length("alarmName", alarmName, 1, 255);
  const stateValue = readString(input, "StateValue");
  if (check.required("stateValue", stateValue))
    check.oneOf("stateValue", stateValue, STATE_VALUES, STATE_VALUES_SHOWN);
  const stateReason = readString(input, "StateReason");
  if (check.required("stateReason", stateReason)) check.length("stateReason", stateReason, 0, 1023);
  const stateReasonData = readString(input, "StateReasonData");
  check.length("stateReasonData", stateReasonData, 0, 4000);
  check.throwIfAny();

  if (stateReasonData !== undefined) {
    try {
      JSON.parse(stateReasonData);
    } catch {
      throw invalidFormat();
    }
  }
  return {
    alarmName: alarmName as string,
    stateValue: stateValue as AlarmStateValue,
    stateReason: stateReason as string,
    stateReasonData,
  };
}
