export type { MergeSketch } from "./commit.js";
export { CorruptRowError, SchemaError, StoreClosedError } from "./errors.js";
export {
  MIGRATION_LOCK,
  MIGRATIONS,
  MIGRATIONS_TABLE,
  type Migration,
  migrate,
  schemaVersion,
} from "./migrations.js";
export {
  DEFAULT_SCHEMA,
  openPostgresStore,
  PostgresStore,
  type PostgresStoreOptions,
} from "./postgres-store.js";
