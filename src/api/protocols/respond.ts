/**
 * Responses in each protocol's shape (aws-wire.md §1.4): success bodies, and errors as `{"__type", "message"}`
 * (JSON), the same map in CBOR with `smithy-protocol: rpc-v2-cbor`, or `<ErrorResponse>` XML (awsQuery).
 * CloudWatch is query-compatible, so its JSON and CBOR errors also carry `x-amzn-query-error: Code;Sender`,
 * from which the SDK takes the query error code.
 */
import { Encoder } from "cbor-x";
import type { ServiceModel } from "../model/types.js";
import { encodeTyped } from "../wire/typed-encode.js";
import type { WireError } from "../wire/wire-error.js";
import { xmlError, xmlResponse } from "../wire/xml-encode.js";
import { JSON_CONTENT_TYPE, type Protocol, type ServiceName } from "./protocol.js";

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

// Plain CBOR maps (no cbor-x records or structure sharing), Dates as tag 1.
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true, pack: false, structuredClone: false });

/** The namespace CloudWatch's JSON and CBOR `__type`s carry. */
const CLOUDWATCH_TYPE_NAMESPACE = "com.amazonaws.cloudwatch#";

export function successReply(
  protocol: Protocol,
  model: ServiceModel,
  operation: string,
  output: unknown,
  requestId: string,
): Reply {
  const outputShape = model.operations[operation].output;
  switch (protocol) {
    case "awsQuery":
      return {
        status: 200,
        headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
        body: xmlResponse(model, operation, output, requestId),
      };
    case "rpcv2Cbor":
      return {
        status: 200,
        headers: cborHeaders(requestId),
        body: cbor.encode(encodeTyped(model, outputShape, output, "cbor")),
      };
    default:
      return {
        status: 200,
        headers: { "content-type": JSON_CONTENT_TYPE[protocol], "x-amzn-requestid": requestId },
        body: JSON.stringify(encodeTyped(model, outputShape, output, "json")),
      };
  }
}

export function errorReply(
  protocol: Protocol,
  service: ServiceName | undefined,
  model: ServiceModel | undefined,
  error: WireError,
  requestId: string,
): Reply {
  if (protocol === "awsQuery") {
    return {
      status: error.queryStatus,
      headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
      body: xmlError(model, error, requestId),
    };
  }
  const queryCompatible = protocol !== "awsJson1_1" && service !== "logs";
  const headers: Record<string, string> =
    protocol === "rpcv2Cbor"
      ? cborHeaders(requestId)
      : { "content-type": JSON_CONTENT_TYPE[protocol], "x-amzn-requestid": requestId };
  if (queryCompatible)
    headers["x-amzn-query-error"] = `${error.code};${error.sender ? "Sender" : "Receiver"}`;
  const body = {
    __type: queryCompatible ? `${CLOUDWATCH_TYPE_NAMESPACE}${error.type}` : error.type,
    message: error.message,
  };
  return {
    status: error.status,
    headers,
    body: protocol === "rpcv2Cbor" ? cbor.encode(body) : JSON.stringify(body),
  };
}

function cborHeaders(requestId: string): Record<string, string> {
  return {
    "content-type": "application/cbor",
    "smithy-protocol": "rpc-v2-cbor",
    "x-amzn-requestid": requestId,
  };
}
