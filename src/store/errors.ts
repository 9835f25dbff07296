/**
 * The stores' own errors, shared by the SQLite and PostgreSQL implementations so that callers can tell them
 * apart by class whichever store they run on.
 */

export class StoreClosedError extends Error {
  override name = "StoreClosedError";
}

/** A JSON column that does not parse (or has the wrong shape): the row was changed outside trailwatch. */
export class CorruptRowError extends Error {
  override name = "CorruptRowError";
}

/** The database's schema cannot be used: another program's tables, a newer trailwatch's, a failed migration. */
export class SchemaError extends Error {
  override name = "SchemaError";
}
