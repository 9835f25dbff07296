/**
 * Checks a decoded JSON or CBOR request body against the operation's input shape and normalizes it: timestamps
 * become `Date`s (JSON sends epoch seconds, CBOR a tag-1 Date), blobs `Uint8Array`s, and members the model does
 * not know are dropped, as AWS ignores them. A value of the wrong type is a `SerializationException`, the error
 * AWS's JSON services give for a body they cannot deserialize; the message is trailwatch's own (AWS's text is not
 * recorded).
 */
import type { ServiceModel, Shape } from "../model/types.js";
import { WireError } from "./wire-error.js";

export type Encoding = "json" | "cbor";

export function decodeTyped(model: ServiceModel, shapeName: string, value: unknown, encoding: Encoding) {
  if (value === null || value === undefined) return {};
  return decodeValue(model, shapeName, value, encoding, "");
}

function decodeValue(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  encoding: Encoding,
  path: string,
): unknown {
  const shape: Shape = model.shapes[shapeName];
  switch (shape.type) {
    case "structure": {
      if (!isPlainObject(value)) throw wrongType(path, "structure", value);
      const out: Record<string, unknown> = {};
      for (const [name, memberShape] of shape.members) {
        const v = (value as Record<string, unknown>)[name];
        // JSON null and CBOR null/undefined mean "absent" for every AWS JSON protocol.
        if (v === null || v === undefined) continue;
        out[name] = decodeValue(model, memberShape, v, encoding, join(path, name));
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) throw wrongType(path, "list", value);
      return value.map((v, i) => {
        if (v === null || v === undefined) throw wrongType(`${path}[${i}]`, "non-null member", v);
        return decodeValue(model, shape.member.shape, v, encoding, `${path}[${i}]`);
      });
    }
    case "map": {
      if (!isPlainObject(value)) throw wrongType(path, "map", value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null || v === undefined) continue;
        out[k] = decodeValue(model, shape.value.shape, v, encoding, join(path, k));
      }
      return out;
    }
    case "string":
      if (typeof value !== "string") throw wrongType(path, "string", value);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrongType(path, "boolean", value);
      return value;
    case "integer":
    case "long":
      if (typeof value === "bigint" && Number.isSafeInteger(Number(value))) return Number(value);
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw wrongType(path, shape.type, value);
      return value;
    case "double":
    case "float":
      if (typeof value === "number") return value;
      // The AWS protocols send NaN and the infinities as strings in JSON.
      if (value === "NaN" || value === "Infinity" || value === "-Infinity") return Number(value);
      throw wrongType(path, shape.type, value);
    case "timestamp":
      if (value instanceof Date && Number.isFinite(value.getTime())) return value;
      if (typeof value === "number" && Number.isFinite(value)) return new Date(Math.round(value * 1000));
      throw wrongType(path, "timestamp (epoch seconds)", value);
    case "blob":
      if (value instanceof Uint8Array) return value;
      if (encoding === "json" && typeof value === "string") return Buffer.from(value, "base64");
      throw wrongType(path, "blob", value);
  }
}

function join(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

function isPlainObject(v: unknown): boolean {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Uint8Array)
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "list";
  if (value instanceof Date) return "timestamp";
  if (value instanceof Uint8Array) return "blob";
  if (value === null) return "null";
  return typeof value === "object" ? "structure" : typeof value;
}

function wrongType(path: string, expected: string, value: unknown): WireError {
  const where = path === "" ? "the request body" : `'${path}'`;
  return WireError.serialization(`Expected ${expected} for ${where}, got ${describe(value)}`);
}
