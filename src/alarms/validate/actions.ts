/**
 * Alarm action ARNs (API-PMA "Valid values"). CloudWatch checks the form of an action, not that its target
 * exists (AL). Composite alarms take SNS, Lambda and Systems Manager actions only (COMP), no EC2 or Auto
 * Scaling.
 */
import { validationError } from "../errors.js";

const P = "arn:aws[a-z-]*";
const REGION = "[a-z0-9-]+";
const ACCOUNT = "\\d{12}";

const SNS = new RegExp(`^${P}:sns:${REGION}:${ACCOUNT}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$`);
const LAMBDA = new RegExp(
  `^${P}:lambda:${REGION}:${ACCOUNT}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9$_-]{1,128})?$`,
);
const SSM_OPSITEM = new RegExp(`^${P}:ssm:${REGION}:${ACCOUNT}:opsitem:[1-4](#CATEGORY=[A-Za-z]+)?$`);
const SSM_INCIDENTS = new RegExp(`^${P}:ssm-incidents::${ACCOUNT}:responseplan/[A-Za-z0-9_-]+$`);
const EC2_AUTOMATE = new RegExp(`^${P}:automate:${REGION}:ec2:(stop|terminate|reboot|recover)$`);
const EC2_SWF = new RegExp(
  `^${P}:swf:${REGION}:${ACCOUNT}:action/actions/AWS_EC2\\.InstanceId\\.(Stop|Terminate|Reboot|Recover)/1\\.0$`,
);
const AUTOSCALING = new RegExp(
  `^${P}:autoscaling:${REGION}:${ACCOUNT}:scalingPolicy:[A-Za-z0-9-]+:autoScalingGroupName/.+:policyName/.+$`,
);

const COMPOSITE_ACTIONS = [SNS, LAMBDA, SSM_OPSITEM, SSM_INCIDENTS];
const METRIC_ACTIONS = [...COMPOSITE_ACTIONS, EC2_AUTOMATE, EC2_SWF, AUTOSCALING];

export type ActionList = "OKActions" | "AlarmActions" | "InsufficientDataActions";

export function checkActions(
  list: ActionList,
  arns: readonly string[],
  alarmType: "metric" | "composite",
): void {
  const allowed = alarmType === "metric" ? METRIC_ACTIONS : COMPOSITE_ACTIONS;
  for (const arn of arns) {
    if (allowed.some((re) => re.test(arn))) continue;
    const supported =
      alarmType === "metric"
        ? "an SNS topic, a Lambda function, an EC2 action, an Auto Scaling policy or a Systems Manager OpsItem or response plan"
        : "an SNS topic, a Lambda function or a Systems Manager OpsItem or response plan";
    throw validationError(`Invalid action ${arn} in ${list}: the action must be ${supported} ARN.`);
  }
}

/** The SNS topics among an alarm's actions: the targets the notifier delivers to. */
export function isSnsTopicArn(arn: string): boolean {
  return SNS.test(arn);
}
