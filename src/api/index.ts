/**
 * The AWS-compatible APIs on `trailwatch serve`'s HTTP server: CloudWatch Logs (awsJson1_1), CloudWatch
 * (awsQuery, awsJson1_0, rpc-v2-cbor) and SNS (awsQuery) on one port, SigV4-authenticated. See docs/api.md.
 *
 * Routes: `POST /` and `POST /service/GraniteServiceVersion20100801/operation/{Op}`. `GET /` (SNS's unsigned
 * confirmation and unsubscribe links) belongs to the server; it may hand other query-protocol GETs to
 * `handleAwsRequest`.
 *
 * Limitations: SigV4 in the Authorization header only (no presigned query-string signatures); any region in
 * the credential scope is accepted; session tokens (`x-amz-security-token`) are ignored.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../server/context.js";
import type { AuthConfig } from "./auth/config.js";
import { type HandleOptions, handleAwsRequest } from "./handle.js";
import { errorReply, type Reply } from "./protocols/respond.js";
import { type RouteInput, routeRequest } from "./protocols/route.js";
import { MAX_REQUEST_BYTES, SERVICES } from "./services.js";
import { WireError } from "./wire/wire-error.js";

export { type AuthConfig, AuthConfigError, authStartupError, loadAuthConfig } from "./auth/config.js";
export { handleAwsRequest, parseAwsRequest } from "./handle.js";

export interface AwsApiOptions {
  auth: AuthConfig;
  /** The SigV4 verifier's clock; default Date.now. */
  now?: () => number;
}

/** The request as the API layer needs it: method, raw path and query, headers, raw body. */
export function routeInputOf(request: FastifyRequest, body?: Buffer): RouteInput {
  const url = request.raw.url ?? "/";
  const q = url.indexOf("?");
  return {
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    headers: request.headers,
    body: body ?? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)),
  };
}

export function sendReply(reply: FastifyReply, r: Reply): FastifyReply {
  // A Buffer, so that fastify sends the content type as AWS does (it appends a charset to string bodies).
  const body = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body;
  return reply.code(r.status).headers(r.headers).send(body);
}

/**
 * Mounts the APIs. Fastify's own failures before the handler runs (a body over the limit, an unreadable body)
 * are answered in the request's protocol too, so a client always gets an error it can parse.
 */
export function registerAwsApi(app: FastifyInstance, ctx: ServerContext, options: AwsApiOptions): void {
  const handleOptions: HandleOptions = { auth: options.auth, now: options.now };
  app.register(async (scope) => {
    scope.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const input = routeInputOf(request, Buffer.alloc(0));
      const declared = Number(request.headers["content-length"] ?? Number.NaN);
      const wire =
        error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
          ? WireError.tooLarge(
              Number.isFinite(declared) ? declared : MAX_REQUEST_BYTES + 1,
              MAX_REQUEST_BYTES,
            )
          : (error.statusCode ?? 500) < 500
            ? WireError.serialization(error.message)
            : WireError.internal();
      if (wire.status >= 500) ctx.logger.error({ err: error }, "AWS API request failed");
      const r = errorOnly(input, wire);
      return sendReply(reply, r);
    });
    const handler = async (request: FastifyRequest, reply: FastifyReply) =>
      sendReply(reply, await handleAwsRequest(routeInputOf(request), ctx, handleOptions));
    scope.post("/", { bodyLimit: MAX_REQUEST_BYTES }, handler);
    scope.post("/service/*", { bodyLimit: MAX_REQUEST_BYTES }, handler);
  });
}

/** An error reply in the protocol `input` would be routed to. */
function errorOnly(input: RouteInput, error: WireError): Reply {
  const route = routeRequest(input);
  const model = route.service ? SERVICES[route.service].model : undefined;
  return errorReply(route.protocol, route.service, model, error, randomUUID());
}
