/**
 * ListMetrics over the series a store knows, as a pure function.
 *
 * Filters (API reference ListMetrics, DimensionFilter): Namespace and MetricName match exactly; each
 * dimension filter (at most 10) needs the metric to have a dimension of that Name, and of that Value when
 * one is given — other dimensions may be present too. `RecentlyActive: "PT3H"` keeps metrics with data in
 * the last three hours. 500 metrics per page.
 *
 * Decisions where AWS is silent: metrics come sorted by their canonical series key (namespace, name,
 * dimensions); a series listed twice is returned once; NextToken is the position after the last metric
 * returned (so new metrics do not shift pages) and an unreadable one is InvalidParameterValue, the only
 * client error ListMetrics declares. A metric whose last data is known to be over two weeks old is not
 * listed (AWS: "ListMetrics doesn't return information about metrics if those metrics haven't reported
 * data in the past two weeks"); one without a known last time is listed, as is nothing under
 * RecentlyActive. IncludeLinkedAccounts and OwningAccount have no linked accounts to act on.
 */
import type { Dimension, MetricId } from "../store/types.js";
import { compareStrings, metricId, seriesKey } from "./aggregate.js";
import { invalidValue, notInSet, Problems } from "./errors.js";
import { decodeToken, encodeToken } from "./next-token.js";
import { checkDimensions, checkMetricName, checkNamespace } from "./request-checks.js";

export const LIST_METRICS_PAGE = 500;
export const MAX_DIMENSION_FILTERS = 10;
const THREE_HOURS = 3 * 3600 * 1000;
const TWO_WEEKS = 14 * 24 * 3600 * 1000;

export interface ListMetricsInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name?: string; Value?: string }[];
  NextToken?: string;
  RecentlyActive?: string;
  IncludeLinkedAccounts?: boolean;
  OwningAccount?: string;
}

/** A known series, with the time (epoch ms) of its latest data when the store knows it. */
export type ListedMetric = MetricId & { lastPublished?: number };

export interface ListMetricsOutput {
  Metrics: { Namespace: string; MetricName: string; Dimensions: Dimension[] }[];
  NextToken?: string;
}

/** Lists `metrics` for a request made at `now` (epoch ms). */
export function listMetrics(
  input: ListMetricsInput,
  metrics: readonly ListedMetric[],
  now: number,
): ListMetricsOutput {
  const i = (input ?? {}) as Record<string, unknown>;
  const problems = new Problems();
  const namespace = checkNamespace(problems, i.Namespace, "Namespace", "namespace", false);
  const metricName = checkMetricName(problems, i.MetricName, "MetricName", "metricName", false);
  const filters = checkDimensions(problems, i.Dimensions, "Dimensions", "dimensions", {
    max: MAX_DIMENSION_FILTERS,
    valueRequired: false,
    publishing: false,
  });
  const recent = i.RecentlyActive;
  if (recent !== undefined && recent !== null && recent !== "PT3H")
    problems.add(notInSet("RecentlyActive", ["PT3H"]));
  let after: string | undefined;
  if (i.NextToken !== undefined && i.NextToken !== null) {
    const state = decodeToken(i.NextToken);
    if (typeof state === "string") after = state;
    else problems.add(invalidValue(i.NextToken, "NextToken"));
  }
  problems.throwIfAny();

  const byKey = new Map<string, ListedMetric>();
  for (const m of metrics) {
    const key = seriesKey(m);
    const seen = byKey.get(key);
    if (!seen || (m.lastPublished ?? -Infinity) > (seen.lastPublished ?? -Infinity)) byKey.set(key, m);
  }
  const matches = [...byKey.entries()]
    .filter(([key, m]) => {
      if (after !== undefined && compareStrings(key, after) <= 0) return false;
      if (namespace !== undefined && m.namespace !== namespace) return false;
      if (metricName !== undefined && m.metricName !== metricName) return false;
      if (m.lastPublished !== undefined && m.lastPublished < now - TWO_WEEKS) return false;
      if (recent === "PT3H" && !(m.lastPublished !== undefined && m.lastPublished >= now - THREE_HOURS))
        return false;
      return (filters ?? []).every((f) =>
        m.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
      );
    })
    .sort((x, y) => compareStrings(x[0], y[0]));
  const page = matches.slice(0, LIST_METRICS_PAGE);
  const out: ListMetricsOutput = {
    Metrics: page.map(([, m]) => {
      const id = metricId(m.namespace, m.metricName, m.dimensions);
      return { Namespace: id.namespace, MetricName: id.metricName, Dimensions: id.dimensions };
    }),
  };
  if (matches.length > page.length) out.NextToken = encodeToken(page[page.length - 1][0]);
  return out;
}
