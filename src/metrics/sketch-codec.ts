/**
 * The serialized-sketch operations the engine and the stores plug in (they treat sketches as opaque bytes):
 * building one from a batch's values and merging two stored ones, e.g. inside SQLite's upsert.
 */
import { Sketch } from "./sketch.js";

/** The serialized sketch of `values`; undefined for no values (an aggregate without observations). */
export function sketchOf(values: readonly number[]): Uint8Array | undefined {
  if (values.length === 0) return undefined;
  const s = Sketch.create();
  for (const v of values) s.add(v);
  return s.serialize();
}

/** The serialized sketch of both inputs' values together. */
export function mergeSketch(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Sketch.merge(Sketch.deserialize(a), Sketch.deserialize(b)).serialize();
}
