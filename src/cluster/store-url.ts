/**
 * `--store postgres://…`: the PostgreSQL store of a cluster instance. The connection string is the libpq
 * URI pg reads (docs/postgres.md); one parameter of trailwatch's own, `schema=NAME`, picks the schema (the
 * store's default otherwise) and is taken out before the string reaches the driver.
 */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

export function splitStoreUrl(text: string): { connectionString: string; schema?: string } {
  const url = new URL(text);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), ...(schema ? { schema } : {}) };
}
