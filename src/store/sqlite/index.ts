export {
  APPLICATION_ID,
  MIGRATIONS,
  type Migration,
  migrate,
  SchemaError,
  schemaVersion,
} from "./migrations.js";
export {
  CorruptRowError,
  openSqliteStore,
  SqliteStore,
  type SqliteStoreOptions,
  StoreClosedError,
} from "./sqlite-store.js";
