/**
 * JSON text as CloudWatch writes it. AWS serializes StateReasonData and HistoryData with Jackson from Java
 * doubles, so a threshold of 1 is `1.0` and ten million is `1.0E7`; `JSON.stringify` would write `1` and
 * `10000000`. Values marked with `double()` print as Java doubles, plain numbers (period, integer counts) as
 * integers, and `raw()` embeds JSON text that is already serialized (a StateReasonData inside HistoryData).
 */
import { javaDoubleToString } from "../pattern/decimal.js";

export class JsonDouble {
  constructor(readonly value: number) {}
}

export class JsonRaw {
  constructor(readonly text: string) {}
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonDouble
  | JsonRaw
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

export function double(value: number): JsonDouble {
  return new JsonDouble(value);
}

export function raw(text: string): JsonRaw {
  return new JsonRaw(text);
}

/** Serializes compactly, keys in insertion order; `undefined` members are left out, as Jackson's NON_NULL. */
export function jsonText(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (value instanceof JsonDouble)
    // Jackson would write NaN/Infinity bare, which is not JSON; null keeps the text parseable.
    return Number.isFinite(value.value) ? javaDoubleToString(value.value) : "null";
  if (value instanceof JsonRaw) return value.text;
  if (isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${jsonText(member)}`);
  }
  return `{${members.join(",")}}`;
}

function isArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}
