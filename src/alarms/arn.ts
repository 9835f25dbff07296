/** Alarm ARNs: `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` (API-DA `AlarmArn`). */
import type { Identity } from "../store/types.js";

export function alarmArn(identity: Identity, alarmName: string): string {
  return `arn:aws:cloudwatch:${identity.region}:${identity.account}:alarm:${alarmName}`;
}

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/s;

/**
 * The alarm name an ARN or a name refers to: composite rules, ActionsSuppressor and ParentsOfAlarmName accept
 * either. Anything that is not a CloudWatch alarm ARN is taken as a name.
 */
export function alarmNameOf(nameOrArn: string): string {
  const m = ALARM_ARN.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}
