/** The PostgreSQL store's errors are the stores' shared ones (src/store/errors.ts). */
export { CorruptRowError, SchemaError, StoreClosedError } from "../errors.js";
