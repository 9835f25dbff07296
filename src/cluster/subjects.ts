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

/** What the instances tell each other outside the stream (config-sync, alarm-writes, event-refs-relay). */
export type ControlChannel = "config" | "alarm-writes" | "event-refs";

/**
 * A core NATS subject of the instances' own traffic: `<prefix>.cluster.<channel>`. Two tokens after the
 * prefix, so the stream (which takes `<prefix>.*`) never stores it, and no log group's subject is one.
 */
export function controlSubject(prefix: string, channel: ControlChannel): string {
  return `${prefix}.cluster.${channel}`;
}
