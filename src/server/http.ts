import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { Engine } from "../engine/engine.js";

export const DEFAULT_PORT = 4566;

/**
 * The HTTP server of `trailwatch serve`. This issue gives it /health; the AWS APIs and the console mount
 * on the same instance later. Bodies are taken raw (one '*' parser) because SigV4, CBOR and form bodies
 * need the exact bytes.
 */
export function buildHttpServer(engine: Engine, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: 2 * 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  const started = Date.now();
  app.get("/health", async () => ({
    status: "ok",
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    alarms: engine.alarms.list().length,
    alarmsInAlarm: engine.alarms.list().filter((a) => a.stateValue === "ALARM").length,
  }));
  return app;
}
