/**
 * One AWS API request, from bytes to bytes, independent of the HTTP server: route (protocol, service,
 * operation), size limit, SigV4, decode, the operation's handler, encode. Every failure leaves as an error in
 * the request's protocol; nothing but a bug becomes a 500 (InternalFailure), and that is logged.
 */
import { randomUUID } from "node:crypto";
import type { ServerContext } from "../server/context.js";
import { authenticate, type Principal } from "./auth/authenticate.js";
import type { AuthConfig } from "./auth/config.js";
import { toWireError } from "./errors.js";
import { SIGNING_NAME } from "./protocols/protocol.js";
import { errorReply, type Reply, successReply } from "./protocols/respond.js";
import { type Route, type RouteInput, routeRequest, unknownOperation } from "./protocols/route.js";
import { SERVICES } from "./services.js";
import { decodeInput } from "./wire/decode-input.js";
import { WireError } from "./wire/wire-error.js";

export interface HandleOptions {
  auth: AuthConfig;
  /** The verifier's clock (epoch ms); tests replay recorded requests at their own time. */
  now?: () => number;
}

/** A request parsed as far as the operation's input, before auth (the captured-request tests use this). */
export interface ParsedRequest {
  route: Route;
  input?: Record<string, unknown>;
  error?: WireError;
}

export function parseAwsRequest(req: RouteInput): ParsedRequest {
  const route = routeRequest(req);
  if (route.error || route.service === undefined || route.operation === undefined)
    return { route, error: route.error };
  const service = SERVICES[route.service];
  if (!Object.hasOwn(service.operations, route.operation)) {
    return { route, error: unknownOperation(route.protocol, route.operation) };
  }
  try {
    return {
      route,
      input: decodeInput(route.protocol, service.model, route.operation, req.body, route.params),
    };
  } catch (e) {
    if (e instanceof WireError) return { route, error: e };
    throw e;
  }
}

export async function handleAwsRequest(
  req: RouteInput,
  ctx: ServerContext,
  options: HandleOptions,
): Promise<Reply> {
  const requestId = randomUUID();
  const route = routeRequest(req);
  const model = route.service ? SERVICES[route.service].model : undefined;
  const fail = (error: WireError): Reply => {
    if (error.status >= 500) ctx.logger.error({ requestId, operation: route.operation }, error.message);
    else ctx.logger.debug({ requestId, operation: route.operation, code: error.code }, error.message);
    return errorReply(route.protocol, route.service, model, error, requestId);
  };
  if (route.error || route.service === undefined || route.operation === undefined) {
    return fail(route.error ?? unknownOperation(route.protocol, route.operation));
  }
  const service = SERVICES[route.service];
  if (req.body.length > service.maxBodyBytes)
    return fail(WireError.tooLarge(req.body.length, service.maxBodyBytes));

  const operation = Object.hasOwn(service.operations, route.operation)
    ? service.operations[route.operation]
    : undefined;
  let principal: Principal | undefined;
  if (!(operation?.anonymous && req.headers.authorization === undefined)) {
    try {
      principal = authenticate(req, {
        config: options.auth,
        service: SIGNING_NAME[route.service],
        now: options.now ?? Date.now,
      });
    } catch (e) {
      return fail(e as WireError);
    }
  }
  if (operation === undefined) return fail(unknownOperation(route.protocol, route.operation));
  if (principal?.readOnly && !operation.readOnly && !operation.anonymous) {
    return fail(
      service.accessDenied(
        `User: arn:aws:iam::${ctx.engine.identity.account}:user/${principal.accessKeyId} is not authorized to perform: ${service.iamPrefix}:${route.operation} because the access key is read-only`,
      ),
    );
  }

  let input: Record<string, unknown>;
  try {
    input = decodeInput(route.protocol, service.model, route.operation, req.body, route.params);
  } catch (e) {
    if (e instanceof WireError) return fail(e);
    throw e;
  }
  let output: unknown;
  try {
    output = await operation.run(input, ctx);
  } catch (e) {
    const wire = toWireError(service.model, e);
    if (wire === undefined) {
      ctx.logger.error({ err: e, requestId, operation: route.operation }, "AWS API operation failed");
      return fail(WireError.internal());
    }
    return fail(wire);
  }
  return successReply(route.protocol, service.model, route.operation, output, requestId);
}
