/**
 * PutCompositeAlarm input → CompositeAlarmConfig (API-PCA, alarms.md §6). The rule is parsed here (grammar,
 * ≤100 children, ≤500 elements); whether its children exist needs the store, so the caller passes
 * `alarmExists` and gets AWS's recorded error for the ones that do not.
 */
import type { CompositeAlarmConfig } from "../../store/types.js";
import { alarmNameOf } from "../arn.js";
import { type RuleNode, ruleReferences, validateAlarmRule } from "../composite.js";
import { ConstraintChecker } from "../constraints.js";
import { validationError } from "../errors.js";
import { checkCommon, readCommon, tagRecord } from "./common.js";
import { asInput, readInteger, readString } from "./read.js";

export interface CompositeAlarmContext {
  /** Whether an alarm (metric or composite) exists, by name. */
  alarmExists?: (name: string) => boolean;
}

export interface ValidatedCompositeAlarm {
  config: CompositeAlarmConfig;
  /** The parsed rule, for evaluation and for the children lists. */
  rule: RuleNode;
}

export function validatePutCompositeAlarm(
  raw: unknown,
  context: CompositeAlarmContext = {},
): ValidatedCompositeAlarm {
  const input = asInput(raw);
  const check = new ConstraintChecker();
  const common = readCommon(input, check);
  const alarmRule = readString(input, "AlarmRule");
  if (check.required("alarmRule", alarmRule)) check.length("alarmRule", alarmRule, 1, 10240);
  const suppressor = readString(input, "ActionsSuppressor");
  check.length("actionsSuppressor", suppressor, 1, 1600);
  const waitPeriod = readInteger(input, "ActionsSuppressorWaitPeriod");
  const extensionPeriod = readInteger(input, "ActionsSuppressorExtensionPeriod");
  check.throwIfAny();

  const rule = validateAlarmRule(alarmRule as string);
  checkCommon(common, "composite");
  checkSuppressor(suppressor, waitPeriod, extensionPeriod);

  if (context.alarmExists) {
    const exists = context.alarmExists;
    const missing = ruleReferences(rule).filter((ref) => !exists(alarmNameOf(ref)));
    // Recorded: "Could not save the composite alarm as alarms [gone] in the alarm rule do not exist".
    if (missing.length > 0)
      throw validationError(
        `Could not save the composite alarm as alarms [${missing.join(", ")}] in the alarm rule do not exist`,
      );
    if (suppressor !== undefined && !exists(alarmNameOf(suppressor)))
      throw validationError(
        `Could not save the composite alarm as the actions suppressor [${suppressor}] does not exist`,
      );
  }

  return {
    rule,
    config: {
      alarmName: common.alarmName as string,
      alarmDescription: common.alarmDescription,
      actionsEnabled: common.actionsEnabled ?? true,
      okActions: common.actions.OKActions,
      alarmActions: common.actions.AlarmActions,
      insufficientDataActions: common.actions.InsufficientDataActions,
      alarmRule: alarmRule as string,
      actionsSuppressor: suppressor,
      actionsSuppressorWaitPeriod: waitPeriod,
      actionsSuppressorExtensionPeriod: extensionPeriod,
      tags: tagRecord(common.tags),
    },
  };
}

/** API-PCA: WaitPeriod and ExtensionPeriod are "required only when ActionsSuppressor is specified". */
function checkSuppressor(
  suppressor: string | undefined,
  wait: number | undefined,
  extension: number | undefined,
): void {
  if (suppressor === undefined) {
    if (wait !== undefined || extension !== undefined)
      throw validationError(
        "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod can only be used together with ActionsSuppressor.",
      );
    return;
  }
  if (wait === undefined || extension === undefined)
    throw validationError(
      "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required when ActionsSuppressor is specified.",
    );
  if (wait < 0 || extension < 0)
    throw validationError(
      "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod must not be negative.",
    );
}
