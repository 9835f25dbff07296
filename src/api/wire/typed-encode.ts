/**
 * Shapes an operation's output for the JSON and CBOR protocols: only the members the service model declares,
 * in its order, absent values left out; timestamps as epoch seconds (a JSON number, fractional for
 * milliseconds) or, for CBOR, a `Date` that the encoder writes as tag 1; blobs as base64 in JSON.
 */
import type { ServiceModel } from "../model/types.js";
import type { Encoding } from "./typed-decode.js";

export function encodeTyped(
  model: ServiceModel,
  shapeName: string | undefined,
  value: unknown,
  encoding: Encoding,
): Record<string, unknown> {
  if (shapeName === undefined || value === undefined || value === null) return {};
  return (encodeValue(model, shapeName, value, encoding) as Record<string, unknown>) ?? {};
}

function encodeValue(model: ServiceModel, shapeName: string, value: unknown, encoding: Encoding): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case "structure": {
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, memberShape] of shape.members) {
        const v = encodeValue(model, memberShape, source[name], encoding);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((v) => encodeValue(model, shape.member.shape, v, encoding));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const e = encodeValue(model, shape.value.shape, v, encoding);
        if (e !== undefined) out[k] = e;
      }
      return out;
    }
    case "timestamp": {
      const date = value instanceof Date ? value : new Date(value as number);
      return encoding === "cbor" ? date : date.getTime() / 1000;
    }
    case "double":
    case "float":
      // JSON cannot carry NaN or the infinities as numbers; the AWS JSON protocols send them as strings.
      if (encoding === "json" && typeof value === "number" && !Number.isFinite(value)) return String(value);
      return value;
    case "blob":
      return encoding === "json" ? Buffer.from(value as Uint8Array).toString("base64") : value;
    default:
      return value;
  }
}
