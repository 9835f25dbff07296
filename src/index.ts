/**
 * trailwatch as a library. The filter-pattern language is the foundation: `testMetricFilter` answers exactly
 * like AWS's TestMetricFilter, `compileFilterPattern` is what the engine itself uses, `FilterSet` evaluates
 * many patterns with one parse per event. Errors are thrown with AWS's exception names.
 */

export { evaluateMetricAlarm } from "./alarms/evaluate.js";
export { type Clock, ManualClock, systemClock } from "./engine/clock.js";
export { Engine, type EngineOptions } from "./engine/engine.js";
export { installPack } from "./engine/install-pack.js";
export type { AlarmTransition, TransitionListener } from "./engine/transitions.js";
export {
  type CompiledTransformation,
  compileMetricTransformation,
  type EventContext,
  type MetricSample,
  type MetricTransformation,
  publishedSamples,
  STANDARD_UNITS,
  type StandardUnit,
} from "./metrics/transformation.js";
export { loadPack, type Pack, parsePack } from "./packs/pack.js";
export {
  type CompiledPattern,
  compileFilterPattern,
  FilterSet,
  InvalidParameterException,
  type MetricFilterMatchRecord,
  type PatternKind,
  type PatternMatch,
  parseSelector,
  selectValue,
  type TestMetricFilterInput,
  type TestMetricFilterOutput,
  testMetricFilter,
} from "./pattern/index.js";
export { openSqliteStore } from "./store/sqlite/index.js";
export type { Store } from "./store/store.js";
