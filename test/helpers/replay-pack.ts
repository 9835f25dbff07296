/** A pack for replay tests: the seed's filters, with alarms of many kinds on their metrics. */
import { loadPack, type Pack } from "../../src/packs/pack.js";

/** M of N, every TreatMissingData, non-monotone statistics: what early evaluation must leave alone. */
export async function seedWithAlarmsOfEveryKind(): Promise<Pack> {
  const seed = await loadPack("seed");
  const alarm = (name: string, metric: string, extra: Record<string, unknown>) => ({
    AlarmName: name,
    MetricName: metric,
    Namespace: "CloudTrailMetrics",
    Statistic: "Sum",
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    ...extra,
  });
  return {
    ...seed,
    alarms: [
      ...seed.alarms,
      alarm("api 2 of 3 breaching", "ApiActivityWithoutMFACount", {
        Threshold: 2,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: "breaching",
      }),
      alarm("api average", "ApiActivityWithoutMFACount", { Statistic: "Average", Period: 120 }),
      alarm("root max ignore", "RootAccountUsageCount", {
        Statistic: "Maximum",
        EvaluationPeriods: 2,
        TreatMissingData: "ignore",
      }),
      alarm("console count notBreaching", "ConsoleSignInWithoutMfaCount", {
        Statistic: "SampleCount",
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
        Period: 300,
        TreatMissingData: "notBreaching",
      }),
      alarm("api quiet", "ApiActivityWithoutMFACount", {
        ComparisonOperator: "LessThanThreshold",
        Threshold: 1,
        EvaluationPeriods: 2,
        TreatMissingData: "breaching",
      }),
    ],
  } as Pack;
}
