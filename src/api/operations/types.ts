/**
 * One handler per AWS operation, whatever protocol carried it: it receives the normalized input (the service
 * model's member names, JSON types, `Date` timestamps) and returns the output structure, which the protocol
 * layer encodes. Errors are thrown as the services throw them (LogsError, CloudWatchError, SnsError).
 */
import type { ServerContext } from "../../server/context.js";

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked by the services, which take `unknown` members.
export type OperationInput = Record<string, any>;

export interface Operation {
  run(input: OperationInput, ctx: ServerContext): Promise<unknown> | unknown;
  /** Allowed to read-only access keys (Describe, List, Get, Test, Filter operations). */
  readOnly?: boolean;
  /** May be called without a signature (SNS ConfirmSubscription: the token is the credential). */
  anonymous?: boolean;
}

export type OperationTable = Record<string, Operation>;

/** A mutating operation that answers with an empty structure. */
export function write(run: (input: OperationInput, ctx: ServerContext) => Promise<unknown>): Operation {
  return {
    async run(input, ctx) {
      await run(input, ctx);
      return {};
    },
  };
}

export function read(run: Operation["run"]): Operation {
  return { run, readOnly: true };
}
