/**
 * DeleteAlarms (API-DA): up to 100 names, at most one composite alarm per call, and no alarm that a remaining
 * composite alarm depends on (API-PCA: "you can't delete any composite alarm that is part of the cycle
 * because there is always still a composite alarm that depends on that alarm"). Names that match no alarm
 * are skipped rather than failing the call.
 */
import type { Alarm } from "../../store/types.js";
import { parseAlarmRule, ruleChildNames } from "../composite.js";
import { ConstraintChecker } from "../constraints.js";
import { validationError } from "../errors.js";
import { asInput, readStringList } from "./read.js";

export const MAX_ALARM_NAMES = 100;

export function validateDeleteAlarms(raw: unknown): string[] {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const names = readStringList(input, "AlarmNames");
  if (check.required("alarmNames", names)) {
    check.length("alarmNames", names, 0, MAX_ALARM_NAMES);
    names?.forEach((n, i) => {
      check.length(`alarmNames.${i + 1}.member`, n, 1, 255);
    });
  }
  check.throwIfAny();
  return [...new Set(names)];
}

/** The alarms to delete, or an error when the deletion would break a rule or removes two composites. */
export function planAlarmDeletion(names: readonly string[], existing: readonly Alarm[]): Alarm[] {
  const byName = new Map(existing.map((a) => [a.alarmName, a]));
  const doomed = names.map((n) => byName.get(n)).filter((a): a is Alarm => a !== undefined);
  const composites = doomed.filter((a) => a.alarmType === "CompositeAlarm");
  if (composites.length > 1)
    throw validationError(
      `At most one composite alarm can be deleted per call; the request names ${composites.length}: ${composites.map((a) => a.alarmName).join(", ")}.`,
    );
  const doomedNames = new Set(doomed.map((a) => a.alarmName));
  const blocked: string[] = [];
  for (const parent of existing) {
    if (parent.alarmType !== "CompositeAlarm" || doomedNames.has(parent.alarmName)) continue;
    for (const child of ruleChildNames(parseAlarmRule(parent.alarmRule))) {
      if (doomedNames.has(child) && !blocked.includes(child)) blocked.push(child);
    }
  }
  if (blocked.length > 0)
    throw validationError(
      `Cannot delete ${blocked.join(", ")}: composite alarms that will remain depend on ${blocked.length === 1 ? "it" : "them"}.`,
    );
  return doomed;
}
