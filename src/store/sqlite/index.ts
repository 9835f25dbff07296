export { CorruptRowError, StoreClosedError } from "../errors.js";
export {
  APPLICATION_ID,
  MIGRATIONS,
  type Migration,
  migrate,
  SchemaError,
  schemaVersion,
} from "./migrations.js";
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
