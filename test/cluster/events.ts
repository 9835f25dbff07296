/**
 * CloudTrail records for the cluster tests, each of a known kind, so that what every seed metric must sum
 * to is known without running a filter: `root` (the root user, with MFA: RootAccountUsage only), `nomfa`
 * (an IAM user without MFA: ApiActivityWithoutMFA), `console` (a console sign-in without MFA: that and
 * ConsoleSignInWithoutMfa), `plain` (with MFA, matching nothing).
 */
import type { MetricId } from "../../src/store/types.js";

export type Kind = "root" | "nomfa" | "console" | "plain";

export const SEED_METRICS: Record<string, MetricId> = {
  root: { namespace: "CloudTrailMetrics", metricName: "RootAccountUsageCount", dimensions: [] },
  nomfa: { namespace: "CloudTrailMetrics", metricName: "ApiActivityWithoutMFACount", dimensions: [] },
  console: { namespace: "CloudTrailMetrics", metricName: "ConsoleSignInWithoutMfaCount", dimensions: [] },
};

/** What one event of each kind adds to each seed metric. */
export const CONTRIBUTES: Record<Kind, Partial<Record<keyof typeof SEED_METRICS, number>>> = {
  root: { root: 1 },
  nomfa: { nomfa: 1 },
  console: { nomfa: 1, console: 1 },
  plain: {},
};

const SOURCES = ["ec2", "s3", "iam", "sts", "kms", "lambda", "rds"];

export function record(kind: Kind, i: number, time: number): string {
  const eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
  const mfa = kind === "nomfa" || kind === "console" ? "false" : "true";
  const identity =
    kind === "root"
      ? {
          type: "Root",
          principalId: "123456789012",
          arn: "arn:aws:iam::123456789012:root",
          accountId: "123456789012",
        }
      : {
          type: "IAMUser",
          principalId: `AIDA${i}`,
          arn: `arn:aws:iam::123456789012:user/u${i % 50}`,
          accountId: "123456789012",
          userName: `u${i % 50}`,
        };
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: { ...identity, sessionContext: { attributes: { mfaAuthenticated: mfa } } },
    eventTime,
    eventSource: kind === "console" ? "signin.amazonaws.com" : `${SOURCES[i % SOURCES.length]}.amazonaws.com`,
    eventName: kind === "console" ? "ConsoleLogin" : "DescribeInstances",
    awsRegion: "us-east-1",
    sourceIPAddress: `198.51.100.${i % 250}`,
    userAgent: "aws-cli/2.9",
    ...(kind === "console" ? { additionalEventData: { MFAUsed: "No" } } : {}),
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    eventType: kind === "console" ? "AwsConsoleSignIn" : "AwsApiCall",
    recipientAccountId: "123456789012",
  });
}
