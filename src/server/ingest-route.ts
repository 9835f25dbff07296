/**
 * `POST /ingest`: CloudTrail records over HTTP — a CloudTrail file `{"Records":[...]}`, JSON lines, or
 * either gzipped (told by the bytes, not the headers). One request is one transaction: its good records,
 * their metrics (and, with an `Idempotency-Key` header, a checkpoint under that key) commit together, so
 * a client may retry a request whose answer it did not get without counting anything twice.
 *
 * Guarded by a bearer token (TRAILWATCH_INGEST_TOKEN). Without one configured the route only answers on
 * a loopback-only server; otherwise it refuses (403), never accepting anonymous data from a network.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { decompressed } from "../ingest/byte-source.js";
import { cloudTrailStreamName } from "../ingest/cloudtrail-key.js";
import { readRecords, UnreadableInput } from "../ingest/record-reader.js";
import type { ServerContext } from "./context.js";

export interface IngestRouteOptions {
  /** The bearer token clients must send; undefined or "" = none configured. */
  token?: string;
  /** Default log group (a request may name another with ?logGroupName=). */
  logGroupName?: string;
}

/** A gzip body may not expand past this (a gzip bomb must not take the server's memory). */
const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;
/** Rejections listed in one answer (all are counted). */
const MAX_LISTED_REJECTIONS = 1000;

interface IngestAnswer {
  accepted: number;
  matched: number;
  rejected: number;
  rejections: { record: number; offset: number; reason: string }[];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function* once(body: Buffer): AsyncGenerator<Buffer> {
  if (body.length > 0) yield body;
}

export function registerIngestRoutes(
  app: FastifyInstance,
  ctx: Pick<ServerContext, "engine" | "loopbackOnly">,
  options: IngestRouteOptions,
): void {
  const token = options.token ?? "";
  const defaultGroup = options.logGroupName ?? "CloudTrail/DefaultLogGroup";

  app.post("/ingest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (token === "" && !ctx.loopbackOnly)
      return reply.code(403).send({
        message: "POST /ingest is off: set TRAILWATCH_INGEST_TOKEN to accept data from the network",
      });
    if (token !== "") {
      const auth = request.headers.authorization ?? "";
      const m = /^Bearer\s+(.+)$/i.exec(auth);
      if (!m || !sameSecret(m[1].trim(), token))
        return reply
          .code(401)
          .header("www-authenticate", "Bearer")
          .send({ message: "a valid bearer token is required" });
    }
    const query = request.query as { logGroupName?: string };
    const logGroupName =
      typeof query.logGroupName === "string" && query.logGroupName !== "" ? query.logGroupName : defaultGroup;
    if (!(await ctx.engine.store.getLogGroup(logGroupName)))
      return reply.code(404).send({ message: `log group ${logGroupName} does not exist` });

    const key = request.headers["idempotency-key"];
    const source = typeof key === "string" && key !== "" ? `http:${logGroupName}:${key}` : undefined;
    if (source) {
      const done = await ctx.engine.store.getCheckpoint(source);
      if (done !== undefined)
        return reply.code(200).send({ ...(JSON.parse(done) as IngestAnswer), replayed: true });
    }

    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const answer: IngestAnswer = { accepted: 0, matched: 0, rejected: 0, rejections: [] };
    const byStream = new Map<string, { timestamp: number; message: string }[]>();
    try {
      for await (const item of readRecords(decompressed(once(body)), {
        maxDocumentBytes: MAX_EXPANDED_BYTES,
      })) {
        if (item.kind === "skip") {
          answer.rejected++;
          if (answer.rejections.length < MAX_LISTED_REJECTIONS)
            answer.rejections.push({ record: item.ordinal, offset: item.offset, reason: item.reason });
          continue;
        }
        const stream = cloudTrailStreamName(item.account, item.region, {});
        const list = byStream.get(stream) ?? [];
        list.push({ timestamp: item.timestamp, message: item.message });
        byStream.set(stream, list);
      }
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (!(err instanceof UnreadableInput) && typeof code !== "string") throw err;
      return reply.code(400).send({ message: err instanceof Error ? err.message : String(err) });
    }
    const result = await ctx.engine.ingestBatch(
      logGroupName,
      [...byStream].map(([logStreamName, events]) => ({ logStreamName, events })),
      source
        ? { checkpoint: { source, position: JSON.stringify({ ...answer, accepted: countOf(byStream) }) } }
        : {},
    );
    answer.accepted = result.events;
    answer.matched = result.matched;
    return reply.code(200).send(answer);
  });
}

function countOf(byStream: Map<string, unknown[]>): number {
  let n = 0;
  for (const l of byStream.values()) n += l.length;
  return n;
}
