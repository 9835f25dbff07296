/**
 * The real services the cluster tests run against — PostgreSQL (TRAILWATCH_TEST_POSTGRES, default
 * postgres://postgres@127.0.0.1:5432/test) and NATS with JetStream (TRAILWATCH_TEST_NATS, default
 * nats://127.0.0.1:4222) — and the unique schema, stream, subject and consumer names each test takes and
 * removes. When either service cannot be reached, a suite is skipped with the reason, unless CI is set:
 * then it fails.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { type BusConfig, parseBusUrl } from "../../src/cluster/bus-url.js";

export const PG_SERVER = process.env.TRAILWATCH_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
export const NATS_SERVER = process.env.TRAILWATCH_TEST_NATS ?? "nats://127.0.0.1:4222";

async function unreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    return `PostgreSQL not reachable at ${PG_SERVER} (set TRAILWATCH_TEST_POSTGRES): ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
  try {
    const nc = await connect({ servers: NATS_SERVER.replace(/^nats:\/\//, ""), timeout: 5000 });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
  } catch (err) {
    return `NATS JetStream not reachable at ${NATS_SERVER} (set TRAILWATCH_TEST_NATS): ${(err as Error).message}`;
  }
  return undefined;
}

/** Runs `suite` when both services answer; otherwise one skipped test (or, under CI, a failing one). */
export async function withServices(name: string, suite: () => void): Promise<void> {
  const why = await unreachable();
  if (why === undefined) return suite();
  if (process.env.CI)
    test(`${name}: PostgreSQL and NATS are reachable (required under CI)`, () => assert.fail(why));
  else test(name, { skip: why }, () => {});
}

/** A name no other test or run uses: lower-case letters, digits and `_`. */
export function uniqueName(label: string): string {
  return `tw_${label}_${process.pid}_${randomBytes(3).toString("hex")}`;
}

/** The store URL of a fresh schema (created by the first store that opens it). */
export function storeUrl(schema: string): string {
  const url = new URL(PG_SERVER);
  url.searchParams.set("schema", schema);
  return url.toString();
}

/** The bus URL of a fresh stream, with subjects and consumer of its own. */
export function busUrl(name: string): string {
  return `${NATS_SERVER}/?stream=${name}&subjects=${name}.events&consumer=${name}_workers`;
}

export function busConfig(name: string, ackWaitMs = 2000): BusConfig {
  return parseBusUrl(busUrl(name), { TRAILWATCH_BUS_ACK_WAIT_MS: String(ackWaitMs) });
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function deleteStream(stream: string): Promise<void> {
  const nc = await connect({ servers: NATS_SERVER.replace(/^nats:\/\//, "") });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
