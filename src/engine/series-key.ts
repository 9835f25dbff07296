import type { Dimension, MetricId } from "../store/types.js";

/** Dimensions in CloudWatch's canonical order (by name), so that one series has one key. */
export function sortDimensions(dims: readonly Dimension[]): Dimension[] {
  return [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** A stable string key for a series: namespace, name and sorted dimensions. */
export function seriesKey(m: MetricId): string {
  let key = `${m.namespace}\u0000${m.metricName}`;
  for (const d of sortDimensions(m.dimensions)) key += `\u0000${d.Name}\u0001${d.Value}`;
  return key;
}

export function metricIdOf(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
): MetricId {
  return {
    namespace,
    metricName,
    dimensions: sortDimensions(Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }))),
  };
}
