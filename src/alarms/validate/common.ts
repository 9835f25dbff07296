/** Members shared by PutMetricAlarm and PutCompositeAlarm: name, description, actions, tags. */
import type { ConstraintChecker } from "../constraints.js";
import { validationError } from "../errors.js";
import { type ActionList, checkActions } from "./actions.js";
import { type Input, readBoolean, readString, readStringList, readStructList } from "./read.js";

export const MAX_ACTIONS = 5;
export const MAX_TAGS = 50;
const ACTION_LISTS: readonly ActionList[] = ["OKActions", "AlarmActions", "InsufficientDataActions"];

export interface CommonAlarmMembers {
  alarmName?: string;
  alarmDescription?: string;
  actionsEnabled?: boolean;
  actions: Record<ActionList, string[]>;
  tags?: Input[];
}

export function camel(member: string): string {
  // OKActions -> okActions, AlarmName -> alarmName (AWS's member paths in constraint messages).
  return member.startsWith("OK") ? `ok${member.slice(2)}` : member[0].toLowerCase() + member.slice(1);
}

/** Reads the shared members and records their model-constraint failures. */
export function readCommon(input: Input, check: ConstraintChecker): CommonAlarmMembers {
  const alarmName = readString(input, "AlarmName");
  if (check.required("alarmName", alarmName)) check.length("alarmName", alarmName, 1, 255);
  const alarmDescription = readString(input, "AlarmDescription");
  check.length("alarmDescription", alarmDescription, 0, 1024);
  const actions = {} as Record<ActionList, string[]>;
  for (const list of ACTION_LISTS) {
    const arns = readStringList(input, list) ?? [];
    check.length(camel(list), arns, 0, MAX_ACTIONS);
    arns.forEach((arn, i) => {
      check.length(`${camel(list)}.${i + 1}.member`, arn, 1, 1024);
    });
    actions[list] = arns;
  }
  const tags = readStructList(input, "Tags");
  tags?.forEach((tag, i) => {
    const key = readString(tag, "Key");
    const value = readString(tag, "Value");
    if (check.required(`tags.${i + 1}.member.key`, key))
      check.length(`tags.${i + 1}.member.key`, key, 1, 128);
    if (check.required(`tags.${i + 1}.member.value`, value))
      check.length(`tags.${i + 1}.member.value`, value, 0, 256);
  });
  return { alarmName, alarmDescription, actionsEnabled: readBoolean(input, "ActionsEnabled"), actions, tags };
}

/** The semantic checks of the shared members, after the model constraints passed. */
export function checkCommon(members: CommonAlarmMembers, alarmType: "metric" | "composite"): void {
  // API-PMA: "can't contain ASCII control characters".
  if (/[\u0000-\u001f\u007f]/.test(members.alarmName ?? ""))
    throw validationError("The alarm name must not contain ASCII control characters.");
  for (const list of ACTION_LISTS) checkActions(list, members.actions[list], alarmType);
  const tags = members.tags ?? [];
  if (tags.length > MAX_TAGS)
    throw validationError(`An alarm can have at most ${MAX_TAGS} tags; ${tags.length} were given.`);
  const keys = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key as string;
    if (keys.has(key)) throw validationError(`Duplicate tag key '${key}'.`);
    keys.add(key);
  }
}

export function tagRecord(tags: readonly Input[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) out[tag.Key as string] = tag.Value as string;
  return out;
}
