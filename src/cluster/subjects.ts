/**
 * The bus subjects: one per log group, `<prefix>.<hex of the UTF-8 log group name>`. Log group names may
 * hold `.`, `/`, `*`, `>` and spaces, which are subject syntax in NATS; hex keeps any name one plain token.
 */
export function subjectOf(prefix: string, logGroupName: string): string {
  return `${prefix}.${Buffer.from(logGroupName, "utf8").toString("hex")}`;
}

/** Every log group's subject: what the stream and the consumer take. */
export function allSubjects(prefix: string): string {
  return `${prefix}.*`;
}
