/**
 * awsQuery request decoding: a flat form (`Action=PutMetricAlarm&AlarmActions.member.1=arn&Dimensions.member.1.Name=x`)
 * becomes the operation's input structure, directed by the service model: lists are `Name.member.N` (or
 * `Name.N` when flattened, with the member's locationName in place of `member`), maps `Name.entry.N.key` /
 * `.value` (with the key's and value's locationNames, e.g. SNS's `MessageAttributes.entry.1.Name`), nested
 * structures `Name.Member`, and an empty `Name=` an empty list.
 *
 * Scalars are converted where the text is valid (`Period=300` to 300, `ActionsEnabled=true` to true,
 * `StartTime=2023-11-14T22:13:20Z` to a Date); text that is not valid for its type is passed on as text, so that
 * the operation reports it with the service's own validation error, as AWS does.
 */
import type { ServiceModel } from "../model/types.js";
import { WireError } from "./wire-error.js";

/** Parses an `application/x-www-form-urlencoded` body (or a query string) into its parameters. */
export function parseForm(text: string): Map<string, string> {
  const params = new Map<string, string>();
  if (text === "") return params;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    params.set(formDecode(rawName), formDecode(rawValue));
  }
  return params;
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new WireError(
      "MalformedQueryString",
      "MalformedQueryString",
      400,
      `The query string contains a malformed percent-encoding: ${s.slice(0, 64)}`,
    );
  }
}

/** The input structure of `shapeName` read from the form's parameters. */
export function decodeQueryInput(
  model: ServiceModel,
  shapeName: string | undefined,
  params: Map<string, string>,
): Record<string, unknown> {
  if (shapeName === undefined) return {};
  const keys = [...params.keys()];
  return (readValue(model, shapeName, "", params, keys) as Record<string, unknown> | undefined) ?? {};
}

function readValue(
  model: ServiceModel,
  shapeName: string,
  prefix: string,
  params: Map<string, string>,
  keys: string[],
): unknown {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, memberShape, locationName] of shape.members) {
        const key = prefix === "" ? (locationName ?? name) : `${prefix}.${locationName ?? name}`;
        const v = readValue(model, memberShape, key, params, keys);
        if (v !== undefined) out[name] = v;
      }
      // A nested structure with no member present is absent; the top level is always a structure.
      return prefix !== "" && Object.keys(out).length === 0 ? undefined : out;
    }
    case "list": {
      const base = shape.flattened ? prefix : `${prefix}.${shape.member.locationName ?? "member"}`;
      if (params.get(prefix) === "" && !keys.some((k) => k.startsWith(`${base}.`))) return [];
      const out: unknown[] = [];
      for (const i of indexes(keys, `${base}.`)) {
        const v = readValue(model, shape.member.shape, `${base}.${i}`, params, keys);
        if (v !== undefined) out.push(v);
      }
      return out.length === 0 ? undefined : out;
    }
    case "map": {
      const base = shape.flattened ? prefix : `${prefix}.entry`;
      const keyName = shape.key.locationName ?? "key";
      const valueName = shape.value.locationName ?? "value";
      const out: Record<string, unknown> = {};
      let any = false;
      for (const i of indexes(keys, `${base}.`)) {
        const k = params.get(`${base}.${i}.${keyName}`);
        if (k === undefined) continue;
        const v = readValue(model, shape.value.shape, `${base}.${i}.${valueName}`, params, keys);
        out[k] = v ?? "";
        any = true;
      }
      return any ? out : undefined;
    }
    default: {
      const text = params.get(prefix);
      return text === undefined ? undefined : scalar(shape.type, text);
    }
  }
}

/** The distinct N of `${base}N...` keys, ascending. */
function indexes(keys: string[], base: string): number[] {
  const found = new Set<number>();
  for (const k of keys) {
    if (!k.startsWith(base)) continue;
    const m = /^(\d+)(?:\.|$)/.exec(k.slice(base.length));
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function scalar(type: string, text: string): unknown {
  switch (type) {
    case "integer":
    case "long":
      return /^[+-]?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
    case "double":
    case "float": {
      const n = Number(text);
      return text.trim() !== "" && (Number.isFinite(n) || /^[+-]?(NaN|Infinity)$/.test(text)) ? n : text;
    }
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "timestamp": {
      // ISO-8601 is the query protocol's format; epoch seconds are accepted as well.
      const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      return Number.isFinite(ms) ? new Date(ms) : text;
    }
    case "blob":
      return Buffer.from(text, "base64");
    default:
      return text;
  }
}
