/** Small helpers for writing explicit SQL with numbered parameters ($1, $2, ...). */

/** Collects parameter values; `p(value)` appends one and returns its placeholder. */
export class Params {
  readonly values: unknown[] = [];

  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export function whereClause(conditions: string[]): string {
  return conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
}

/**
 * `column` starts with the prefix (exact and case-sensitive: no LIKE wildcards to escape). The `>=` lets a
 * "C"-collated btree index start at the prefix instead of scanning from the beginning.
 */
export function startsWith(column: string, placeholder: string): string {
  return `${column} >= ${placeholder} AND starts_with(${column}, ${placeholder})`;
}
