/**
 * A routed request's body to the operation's normalized input, whatever the protocol: JSON (awsJson1_0/1_1),
 * CBOR (rpc-v2-cbor) or the awsQuery form. Bodies that do not parse are a `SerializationException`.
 */
import { Decoder } from "cbor-x";
import type { ServiceModel } from "../model/types.js";
import type { Protocol } from "../protocols/protocol.js";
import { decodeQueryInput } from "./query-decode.js";
import { decodeTyped } from "./typed-decode.js";
import { WireError } from "./wire-error.js";

// Plain maps as objects; no cbor-x extensions (records, shared structures) are expected from AWS clients.
const cbor = new Decoder({ mapsAsObjects: true, useRecords: false });

export function decodeInput(
  protocol: Protocol,
  model: ServiceModel,
  operation: string,
  body: Buffer,
  params?: Map<string, string>,
): Record<string, unknown> {
  const shape = model.operations[operation].input;
  if (protocol === "awsQuery") return decodeQueryInput(model, shape, params ?? new Map());
  const encoding = protocol === "rpcv2Cbor" ? "cbor" : "json";
  if (body.length === 0 || (encoding === "json" && body.toString("utf8").trim() === "")) return {};
  let value: unknown;
  try {
    value = encoding === "cbor" ? cbor.decode(body) : JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw WireError.serialization(
      encoding === "cbor"
        ? `The request body is not valid CBOR: ${(e as Error).message}`
        : `The request body is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date) {
    throw WireError.serialization(
      `The request body must be a ${encoding === "cbor" ? "CBOR map" : "JSON object"}`,
    );
  }
  if (shape === undefined) return {};
  return decodeTyped(model, shape, value, encoding) as Record<string, unknown>;
}
