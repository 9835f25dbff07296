import { type EventSummary, summarizeParsedLogEvent } from "../metrics/event-refs.js";
import {
  type CompiledTransformation,
  compileMetricTransformation,
  type EventContext,
  type MetricSample,
} from "../metrics/transformation.js";
import {
  type CompiledPattern,
  compileFilterPattern,
  FilterSet,
  type PatternMatch,
} from "../pattern/index.js";
import type { MetricFilter } from "../store/types.js";

/** What one log event published through one metric filter. */
export interface PublishedSample extends MetricSample {
  filterName: string;
  /** True when the event matched (false: a defaultValue sample for a non-matching event). */
  matched: boolean;
}

interface CompiledFilter {
  filter: MetricFilter;
  pattern: CompiledPattern;
  transformations: CompiledTransformation[];
  /** Whether a match must carry extracted values (a `$` metric value or dimensions). */
  needsExtraction: boolean;
  hasDefault: boolean;
}

/**
 * A log group's metric filters, compiled once: for each event, the samples every filter publishes —
 * one FilterSet evaluation (at most one JSON.parse), then each filter's transformation.
 */
export class LogGroupPipeline {
  private readonly compiled: CompiledFilter[];
  private readonly set: FilterSet;
  private readonly anyExtraction: boolean;
  private readonly anyDefault: boolean;

  constructor(readonly filters: readonly MetricFilter[]) {
    this.compiled = filters.map((filter) => {
      const pattern = compileFilterPattern(filter.filterPattern);
      const transformations = filter.metricTransformations.map((t) =>
        compileMetricTransformation(t, pattern, filter.emitSystemFieldDimensions ?? []),
      );
      return {
        filter,
        pattern,
        transformations,
        needsExtraction: filter.metricTransformations.some(
          (t) => t.metricValue.startsWith("$") || Object.keys(t.dimensions ?? {}).length > 0,
        ),
        hasDefault: filter.metricTransformations.some((t) => t.defaultValue !== undefined),
      };
    });
    this.set = new FilterSet(this.compiled.map((c) => c.pattern));
    this.anyExtraction = this.compiled.some((c) => c.needsExtraction);
    this.anyDefault = this.compiled.some((c) => c.hasDefault);
  }

  get size(): number {
    return this.compiled.length;
  }

  /** The JSON root of the event `process` just saw (undefined when not a JSON object), without a second parse. */
  parsedRoot(message: string): Record<string, unknown> | undefined {
    return this.set.parsedRoot(message);
  }

  /** "Who did it" for an event `process` just matched: parsed once, reusing the filter set's parse. */
  summaryOf(message: string, timestamp: number): EventSummary {
    return summarizeParsedLogEvent(this.set.parsedRoot(message), message, timestamp);
  }

  /** Calls `emit` for each sample the event publishes, and returns the indexes of the filters it matched. */
  process(message: string, context: EventContext, emit: (s: PublishedSample) => void): readonly number[] {
    if (this.compiled.length === 0) return [];
    let matched: readonly number[];
    let matches: Map<number, PatternMatch> | undefined;
    if (this.anyExtraction) {
      const hits: number[] = [];
      matches = new Map();
      this.set.matchEach(message, (i, m) => {
        hits.push(i);
        matches!.set(i, m);
      });
      matched = hits;
    } else {
      matched = this.set.matching(message);
    }
    if (matched.length === 0 && !this.anyDefault) return matched;
    let k = 0;
    for (let i = 0; i < this.compiled.length; i++) {
      const c = this.compiled[i];
      const isMatch = k < matched.length && matched[k] === i;
      if (isMatch) k++;
      if (!isMatch && !c.hasDefault) continue;
      const match: PatternMatch | null = isMatch ? (matches?.get(i) ?? { extractedValues: {} }) : null;
      for (const t of c.transformations) {
        for (const s of t.samples(match, context))
          emit({ ...s, filterName: c.filter.filterName, matched: isMatch });
      }
    }
    return matched;
  }
}
