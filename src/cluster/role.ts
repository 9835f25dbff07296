/**
 * `--role`: which halves of the work a cluster instance takes. `ingest` runs the event sources (the watched
 * folder, S3) and applies nothing; `worker` applies batches from the bus and runs no sources; `all` does
 * both. Whatever the role, the HTTP faces answer, and events they accept (PutLogEvents, POST /ingest) are
 * published to the bus. Every role is a candidate for the evaluator lease.
 */
export type Role = "ingest" | "worker" | "all";

export const ROLES: readonly Role[] = ["ingest", "worker", "all"];

export function parseRole(text: string): Role {
  if ((ROLES as readonly string[]).includes(text)) return text as Role;
  throw new Error(`--role must be one of ${ROLES.join(", ")}, got '${text}'`);
}

/** Runs the event sources (the watched folder; S3). */
export const runsSources = (r: Role) => r === "ingest" || r === "all";
/** Applies batches from the bus. */
export const applies = (r: Role) => r === "worker" || r === "all";
