export { compileFilterPattern } from "./compile.js";
export { InvalidParameterException } from "./errors.js";
export { FilterSet } from "./filter-set.js";
export { parseSelector, selectValue } from "./json/selector.js";
export type {
  MetricFilterMatchRecord,
  TestMetricFilterInput,
  TestMetricFilterOutput,
} from "./test-metric-filter.js";
export { testMetricFilter } from "./test-metric-filter.js";
export type { CompiledPattern, PatternKind, PatternMatch } from "./types.js";
