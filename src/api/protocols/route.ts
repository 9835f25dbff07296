/**
 * Which protocol, service and operation a request is for, checked in the order of aws-wire.md §1.3:
 * 1. `POST /service/GraniteServiceVersion20100801/operation/{Op}`: CloudWatch rpc-v2-cbor;
 * 2. `x-amz-target: Logs_20140328.{Op}` (awsJson1_1) or `GraniteServiceVersion20100801.{Op}` (awsJson1_0);
 * 3. otherwise awsQuery: a form body (or, for GET, the query string) with `Action`, the service told by `Version`
 *    (2010-08-01 CloudWatch, 2010-03-31 SNS) or, without one, by the SigV4 credential scope.
 *
 * Even a request that cannot be routed gets a protocol, so that its error is in the shape its client parses.
 */
import { parseForm } from "../wire/query-decode.js";
import { WireError } from "../wire/wire-error.js";
import {
  CBOR_PATH_PREFIX,
  type Protocol,
  QUERY_VERSION,
  type ServiceName,
  SIGNING_NAME,
  TARGET_PREFIX,
} from "./protocol.js";

export interface RouteInput {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Route {
  protocol: Protocol;
  service?: ServiceName;
  operation?: string;
  /** awsQuery parameters (form body or query string). */
  params?: Map<string, string>;
  /** Set when the request cannot go further; sent in `protocol`'s shape. */
  error?: WireError;
}

export function unknownOperation(protocol: Protocol, operation: string | undefined): WireError {
  if (protocol === "awsQuery") {
    return new WireError(
      "InvalidAction",
      "InvalidAction",
      400,
      `The action ${operation ?? ""} is not valid for this web service.`,
    );
  }
  // rpc-v2-cbor servers answer an operation that does not exist with 404 (smithy's server runtime).
  const status = protocol === "rpcv2Cbor" ? 404 : 400;
  return new WireError(
    "UnknownOperationException",
    "InvalidAction",
    status,
    `Unknown operation ${operation ?? ""}`.trim(),
  );
}

function header(headers: RouteInput["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function mediaType(headers: RouteInput["headers"]): string {
  return (header(headers, "content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** The credential scope's service (`logs`, `monitoring`, `sns`) when an Authorization header names one. */
function scopeService(headers: RouteInput["headers"]): string | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/[^/]*\/([^/]+)\/aws4_request/.exec(
    header(headers, "authorization") ?? "",
  );
  return m?.[1];
}

export function routeRequest(req: RouteInput): Route {
  const type = mediaType(req.headers);

  if (req.path.startsWith("/service/")) {
    const protocol: Protocol = "rpcv2Cbor";
    if (!req.path.startsWith(CBOR_PATH_PREFIX))
      return { protocol, error: unknownOperation(protocol, req.path) };
    const operation = decodeURIComponentSafe(req.path.slice(CBOR_PATH_PREFIX.length));
    if (req.method !== "POST")
      return { protocol, service: "cloudwatch", operation, error: methodNotAllowed(req.method) };
    if (header(req.headers, "smithy-protocol") !== "rpc-v2-cbor") {
      return {
        protocol,
        service: "cloudwatch",
        operation,
        error: WireError.serialization(
          "rpc-v2-cbor requests must carry the header smithy-protocol: rpc-v2-cbor",
        ),
      };
    }
    if (type !== "application/cbor" && !(type === "" && req.body.length === 0)) {
      return {
        protocol,
        service: "cloudwatch",
        operation,
        error: unsupportedMediaType(type, "application/cbor"),
      };
    }
    return { protocol, service: "cloudwatch", operation };
  }

  const target = header(req.headers, "x-amz-target");
  if (target !== undefined || type.startsWith("application/x-amz-json")) {
    const dot = (target ?? "").lastIndexOf(".");
    const prefix = dot < 0 ? "" : (target as string).slice(0, dot);
    const operation = dot < 0 ? target : (target as string).slice(dot + 1);
    const service: ServiceName | undefined =
      prefix === TARGET_PREFIX.logs ? "logs" : prefix === TARGET_PREFIX.cloudwatch ? "cloudwatch" : undefined;
    const protocol: Protocol =
      service === "cloudwatch" || (service === undefined && type === "application/x-amz-json-1.0")
        ? "awsJson1_0"
        : "awsJson1_1";
    if (service === undefined) return { protocol, operation, error: unknownOperation(protocol, target) };
    if (req.method !== "POST") return { protocol, service, operation, error: methodNotAllowed(req.method) };
    if (type !== "" && type !== "application/json" && !type.startsWith("application/x-amz-json-1.")) {
      return {
        protocol,
        service,
        operation,
        error: unsupportedMediaType(type, "application/x-amz-json-1.x"),
      };
    }
    return { protocol, service, operation };
  }

  const protocol: Protocol = "awsQuery";
  // Until Version says otherwise, the credential scope names the query service (its errors carry its xmlns).
  const scope = scopeService(req.headers);
  const scoped = (Object.keys(SIGNING_NAME) as ServiceName[]).find(
    (s) => s !== "logs" && SIGNING_NAME[s] === scope,
  );
  const failQuery = (error: WireError, extra: Partial<Route> = {}): Route => ({
    protocol,
    service: scoped,
    ...extra,
    error,
  });
  let text: string;
  if (req.method === "GET") text = req.query;
  else if (req.method !== "POST") return failQuery(methodNotAllowed(req.method));
  else if (type === "application/x-www-form-urlencoded") text = req.body.toString("utf8");
  else if (type === "application/cbor")
    return { protocol: "rpcv2Cbor", error: unknownOperation("rpcv2Cbor", req.path) };
  else if (req.body.length === 0 && req.query !== "") text = req.query;
  else if (req.body.length === 0 && type === "") text = "";
  else return failQuery(unsupportedMediaType(type, "application/x-www-form-urlencoded"));

  let params: Map<string, string>;
  try {
    params = parseForm(text);
  } catch (e) {
    return failQuery(e as WireError);
  }
  const operation = params.get("Action");
  if (operation === undefined || operation === "") {
    return failQuery(new WireError("MissingAction", "MissingAction", 400, "Missing Action"), { params });
  }
  const version = params.get("Version");
  let service: ServiceName | undefined = scoped;
  if (version !== undefined) {
    service = QUERY_VERSION[version];
    if (service === undefined) {
      return failQuery(
        new WireError(
          "NoSuchVersion",
          "NoSuchVersion",
          400,
          `The requested version (${version}) of service ${scope ?? "this endpoint"} does not exist`,
        ),
        { operation, params },
      );
    }
  } else if (service === undefined) {
    return failQuery(
      new WireError(
        "MissingParameter",
        "MissingParameter",
        400,
        "The request must contain the parameter Version.",
      ),
      { operation, params },
    );
  }
  return { protocol, service, operation, params };
}

function methodNotAllowed(method: string): WireError {
  return new WireError(
    "MethodNotAllowed",
    "MethodNotAllowed",
    405,
    `The HTTP method ${method} is not allowed here; use POST.`,
  );
}

function unsupportedMediaType(type: string, expected: string): WireError {
  return new WireError(
    "UnsupportedMediaTypeException",
    "UnsupportedMediaType",
    415,
    `Content-Type '${type}' is not supported here; expected ${expected}`,
  );
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
