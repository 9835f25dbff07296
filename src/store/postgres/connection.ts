/**
 * The connection pool and the transaction helper. Every connection works in the store's schema
 * (search_path), and reads BIGINT columns — epoch milliseconds, seqs, ids, counts — as JS numbers.
 */
import pg from "pg";

/**
 * Schema names the store accepts: lower-case SQL identifiers, which need no quoting anywhere (search_path
 * would fold an unquoted upper-case name to lower case).
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `invalid PostgreSQL schema name ${JSON.stringify(schema)}: lower-case letters, digits and _ (not first), at most 63`,
    );
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * BIGINT (int8) as a number rather than pg's default string. Every BIGINT here is an epoch-ms time, a seq,
 * an id or a count: far below 2^53, so the conversion is exact.
 */
function int8(text: string): number {
  return Number(text);
}

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? int8
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The pool. Every connection starts in the store's schema through the `options` startup parameter
 * (`-c search_path=…`): no extra round trip, and nothing can run before it. pg lets a connection string's own
 * `options` replace the one given beside it, so a URL's `options` is taken out and kept in front of ours.
 */
export function createPool(options: { connectionString: string; schema: string; poolSize: number }): pg.Pool {
  checkSchemaName(options.schema);
  let connectionString = options.connectionString;
  let startup = `-c search_path=${options.schema}`;
  try {
    const url = new URL(connectionString);
    const theirs = url.searchParams.get("options");
    if (theirs !== null) {
      url.searchParams.delete("options");
      connectionString = url.toString();
      startup = `${theirs} ${startup}`;
    }
  } catch {
    // Not a URL: pg reads it as keyword/value pairs, which cannot carry `options` through pg's parser.
  }
  const pool = new pg.Pool({
    connectionString,
    options: startup,
    max: options.poolSize,
    types,
    // Shown in pg_stat_activity; a connection string's own application_name wins.
    application_name: "trailwatch",
  });
  // An idle connection that dies (server restart, network) is dropped by the pool, which opens a new one
  // on demand. Without a listener the 'error' event would crash the process.
  pool.on("error", () => {});
  return pool;
}

/** deadlock_detected, serialization_failure: the transaction was rolled back whole and may run again. */
const RETRYABLE = new Set(["40P01", "40001"]);
const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` in a transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws.
 * A deadlock or serialization failure reruns it from the start (after a short random pause), so `fn` must
 * do all its work through the client it is given and keep no state across runs.
 */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    let retry = false;
    try {
      // READ COMMITTED whatever the server's default: each statement sees what committed before it began,
      // which the store's locking (commit.ts, deleteAggregatesBefore) is reasoned on.
      await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection itself is gone: do not put it back in the pool.
        broken = rollbackError as Error;
      }
      const code = (err as { code?: unknown }).code;
      if (typeof code === "string" && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) retry = true;
      else throw err;
    } finally {
      client.release(broken);
    }
    if (retry) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
  }
}
