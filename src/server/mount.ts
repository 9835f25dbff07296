import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type AuthConfig, handleAwsRequest, registerAwsApi, routeInputOf, sendReply } from "../api/index.js";
import { type ConsoleOptions, DEFAULT_BASE_PATH, registerConsole } from "../console/index.js";
import { type IngestRouteOptions, registerIngestRoutes } from "./ingest-route.js";
import { registerMetricsRoute } from "./metrics.js";
import type { OpenedServerContext } from "./open-context.js";
import { registerSnsLinks } from "./sns-links.js";

export interface FacesOptions {
  /** Access keys of the AWS APIs (SigV4). */
  auth: AuthConfig;
  /** The SigV4 verifier's clock (tests of recorded requests); default Date.now. */
  now?: () => number;
  /** The web console (pages under /console/, where a bare `GET /` leads); left out when undefined. */
  console?: ConsoleOptions;
  /** `POST /ingest` (CloudTrail JSON, JSON lines, gzip): its bearer token and default log group. */
  ingest?: IngestRouteOptions;
}

/**
 * Everything `trailwatch serve` answers on its one port, mounted the same way in serve and in tests:
 * /health (buildHttpServer), /metrics, the SNS links and signing certificate, the AWS APIs (POST, and
 * query-protocol GETs with an Action other than the two unsigned links), POST /ingest, and the console.
 */
export async function mountFaces(
  app: FastifyInstance,
  ctx: OpenedServerContext,
  options: FacesOptions,
): Promise<void> {
  registerMetricsRoute(app, ctx.metrics);
  const handleOptions = { auth: options.auth, ...(options.now ? { now: options.now } : {}) };
  registerSnsLinks(app, ctx, {
    certificatePem: ctx.signing.certificatePem,
    certificateId: ctx.signing.certificateId,
    ...(options.console
      ? {
          fallback: (_req: FastifyRequest, reply: FastifyReply) =>
            reply.redirect(`${options.console?.basePath ?? DEFAULT_BASE_PATH}/`, 303),
        }
      : {}),
    otherAction: async (req, reply) =>
      sendReply(reply, await handleAwsRequest(routeInputOf(req), ctx, handleOptions)),
  });
  registerAwsApi(app, ctx, handleOptions);
  registerIngestRoutes(app, ctx, options.ingest ?? {});
  if (options.console) await registerConsole(app, ctx, options.console);
}
