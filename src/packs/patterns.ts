/**
 * The metric filters trailwatch ships as data: the three from the origin document (the seed) and the
 * fourteen CIS AWS Foundations Benchmark monitoring filters in the form AWS Security Hub checks
 * (controls CloudWatch.1–CloudWatch.14).
 *
 * Every `filterPattern` is copied character for character from its source; `test/packs/patterns.test.ts`
 * compares the CIS ones with the research table they were taken from. Do not reformat them: Security Hub
 * compares patterns literally ("Additional fields or terms cannot be added to the metric filters").
 *
 * Each filter publishes the value 1 per matching event (metricValue 1), and the alarm both sources pair
 * with it is Sum >= 1 over one 300-second period.
 */

export interface FilterDefinition {
  /** Stable identifier: `seed/...` for the seed filters, the Security Hub control id for CIS. */
  readonly id: string;
  /** Human title (English). */
  readonly title: string;
  /** The metric filter's name, as the source names it. */
  readonly filterName: string;
  readonly metricName: string;
  readonly namespace: string;
  /** The CloudWatch Logs filter pattern, exactly as the source gives it. */
  readonly filterPattern: string;
  /** Where the definition comes from. */
  readonly source: string;
}

/** Namespace of the seed document's metrics. */
export const SEED_NAMESPACE = "CloudTrailMetrics";

/** The CIS remediation CLI's example namespace. (Security Hub's console steps use `LogMetrics` instead.) */
export const CIS_NAMESPACE = "CISBenchmark";

const SEED_DOC =
  "AWS CloudTrail User Guide (Korean edition), 'Creating CloudWatch alarms for CloudTrail events: additional examples' (이벤트에 대한 경보 생성 추가 예)";

/**
 * The seed: root account usage, API activity without MFA, and console sign-in without MFA. Filter names,
 * metric names and namespace as the document tells the reader to type them.
 */
export const SEED_FILTERS: readonly FilterDefinition[] = [
  {
    id: "seed/root-account-usage",
    title: "Root account usage",
    filterName: "RootAccountUsage",
    metricName: "RootAccountUsageCount",
    namespace: SEED_NAMESPACE,
    filterPattern: `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
    source: `${SEED_DOC}, example 'Monitoring root usage'`,
  },
  {
    id: "seed/api-activity-without-mfa",
    title: "API activity without multi-factor authentication",
    filterName: "ApiActivityWithoutMFA",
    metricName: "ApiActivityWithoutMFACount",
    namespace: SEED_NAMESPACE,
    filterPattern: `{ $.userIdentity.sessionContext.attributes.mfaAuthenticated != "true" }`,
    source: `${SEED_DOC}, example 'Monitoring API activity without multi-factor authentication (MFA)'`,
  },
  {
    id: "seed/console-signin-without-mfa",
    title: "Console sign-in without multi-factor authentication",
    filterName: "ConsoleSignInWithoutMfa",
    metricName: "ConsoleSignInWithoutMfaCount",
    namespace: SEED_NAMESPACE,
    filterPattern: `{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }`,
    source: `${SEED_DOC}, example 'Monitoring console sign-in without multi-factor authentication (MFA)'`,
  },
];

const SECURITY_HUB_DOC =
  "AWS Security Hub User Guide, doc_source/cloudwatch-controls.md @47bfe2f1 (2023-06-15), via shared/spec/cis-benchmark.md §2";

/**
 * CIS monitoring filters as AWS Security Hub controls CloudWatch.1–14 (2023-06 documentation). Filter and
 * metric name: the CIS remediation CLI's placeholder, which CIS uses for both. CIS v1.4.0's 4.15
 * (AWS Organizations changes) has no Security Hub control and is not included.
 */
export const CIS_FILTERS: readonly FilterDefinition[] = [
  // Also CIS v1.2.0 1.1 and v1.4.0 1.7 (avoid the use of the root user).
  {
    id: "CloudWatch.1",
    title: 'Log metric filter and alarm for usage of the "root" user',
    filterName: "root_usage_metric",
    metricName: "root_usage_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    source: `${SECURITY_HUB_DOC}, CloudWatch.1; CIS v1.2.0 3.3, v1.4.0–v5.0.0 4.3, v6.0.0–v7.0.0 5.3`,
  },
  // The CIS v1.2.0 form. CIS v1.4.0 and later word 4.1 differently (cis-benchmark.md §3.1);
  // Security Hub maps this control to v1.2.0 only.
  {
    id: "CloudWatch.2",
    title: "Unauthorized API calls",
    filterName: "unauthorized_api_calls_metric",
    metricName: "unauthorized_api_calls_metric",
    namespace: CIS_NAMESPACE,
    filterPattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    source: `${SECURITY_HUB_DOC}, CloudWatch.2; CIS v1.2.0 3.1, v1.4.0–v5.0.0 4.1, v6.0.0–v7.0.0 5.1`,
  },
  // The IAMUser + Success variant (Security Hub since 2022). CIS also gives the base form without
  // the last two terms (cis-benchmark.md §3.2); Security Hub maps this control to v1.2.0 only.
  {
    id: "CloudWatch.3",
    title: "Management Console sign-in without MFA",
    filterName: "no_mfa_console_signin_metric",
    metricName: "no_mfa_console_signin_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    source: `${SECURITY_HUB_DOC}, CloudWatch.3; CIS v1.2.0 3.2, v1.4.0–v5.0.0 4.2, v6.0.0–v7.0.0 5.2`,
  },
  {
    id: "CloudWatch.4",
    title: "IAM policy changes",
    filterName: "iam_changes_metric",
    metricName: "iam_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.4; CIS v1.2.0 3.4, v1.4.0–v5.0.0 4.4, v6.0.0–v7.0.0 5.4`,
  },
  {
    id: "CloudWatch.5",
    title: "CloudTrail configuration changes",
    filterName: "cloudtrail_cfg_changes_metric",
    metricName: "cloudtrail_cfg_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.5; CIS v1.2.0 3.5, v1.4.0–v5.0.0 4.5, v6.0.0–v7.0.0 5.5`,
  },
  {
    id: "CloudWatch.6",
    title: "AWS Management Console authentication failures",
    filterName: "console_signin_failure_metric",
    metricName: "console_signin_failure_metric",
    namespace: CIS_NAMESPACE,
    filterPattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    source: `${SECURITY_HUB_DOC}, CloudWatch.6; CIS v1.2.0 3.6, v1.4.0–v5.0.0 4.6, v6.0.0–v7.0.0 5.6`,
  },
  {
    id: "CloudWatch.7",
    title: "Disabling or scheduled deletion of customer managed (customer-created) keys",
    filterName: "disable_or_delete_cmk_changes_metric",
    metricName: "disable_or_delete_cmk_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.7; CIS v1.2.0 3.7, v1.4.0–v5.0.0 4.7, v6.0.0–v7.0.0 5.7`,
  },
  {
    id: "CloudWatch.8",
    title: "S3 bucket policy changes",
    filterName: "s3_bucket_policy_changes_metric",
    metricName: "s3_bucket_policy_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.8; CIS v1.2.0 3.8, v1.4.0–v5.0.0 4.8, v6.0.0–v7.0.0 5.8`,
  },
  {
    id: "CloudWatch.9",
    title: "AWS Config configuration changes",
    filterName: "aws_config_changes_metric",
    metricName: "aws_config_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.9; CIS v1.2.0 3.9, v1.4.0–v5.0.0 4.9, v6.0.0–v7.0.0 5.9`,
  },
  // CIS v5.0.0 and later also list ModifySecurityGroupRules; Security Hub does not (§3.4).
  {
    id: "CloudWatch.10",
    title: "Security group changes",
    filterName: "security_group_changes_metric",
    metricName: "security_group_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.10; CIS v1.2.0 3.10, v1.4.0–v5.0.0 4.10, v6.0.0–v7.0.0 5.10`,
  },
  {
    id: "CloudWatch.11",
    title: "Changes to Network ACLs",
    filterName: "nacl_changes_metric",
    metricName: "nacl_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.11; CIS v1.2.0 3.11, v1.4.0–v5.0.0 4.11, v6.0.0–v7.0.0 5.11`,
  },
  {
    id: "CloudWatch.12",
    title: "Changes to network gateways",
    filterName: "network_gw_changes_metric",
    metricName: "network_gw_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.12; CIS v1.2.0 3.12, v1.4.0–v5.0.0 4.12, v6.0.0–v7.0.0 5.12`,
  },
  // The CIS v3.0.0 audit text adds an eventSource term (cis-benchmark.md §3.5).
  {
    id: "CloudWatch.13",
    title: "Route table changes",
    filterName: "route_table_changes_metric",
    metricName: "route_table_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.13; CIS v1.2.0 3.13, v1.4.0–v5.0.0 4.13, v6.0.0–v7.0.0 5.13`,
  },
  {
    id: "CloudWatch.14",
    title: "VPC changes",
    filterName: "vpc_changes_metric",
    metricName: "vpc_changes_metric",
    namespace: CIS_NAMESPACE,
    filterPattern:
      "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
    source: `${SECURITY_HUB_DOC}, CloudWatch.14; CIS v1.2.0 3.14, v1.4.0–v5.0.0 4.14, v6.0.0–v7.0.0 5.14`,
  },
];
