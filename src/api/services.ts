/**
 * The three services behind the one endpoint: each one's model, operations, request-size limit and the way it
 * refuses a read-only key.
 */
import { CLOUDWATCH_MODEL } from "./model/cloudwatch.js";
import { LOGS_MODEL } from "./model/logs.js";
import { SNS_MODEL } from "./model/sns.js";
import type { ServiceModel } from "./model/types.js";
import { CLOUDWATCH_OPERATIONS } from "./operations/cloudwatch.js";
import { LOGS_OPERATIONS } from "./operations/logs.js";
import { SNS_OPERATIONS } from "./operations/sns.js";
import type { OperationTable } from "./operations/types.js";
import type { ServiceName } from "./protocols/protocol.js";
import { WireError } from "./wire/wire-error.js";

export interface ServiceDefinition {
  model: ServiceModel;
  operations: OperationTable;
  /**
   * Largest request body accepted. CloudWatch documents 1 MB for a PutMetricData POST (and answers
   * RequestEntityTooLarge `Request size N exceeded 1048576 bytes`); SNS messages are at most 256 KB, which form
   * encoding can triple; PutLogEvents batches are 1 MB of messages, which JSON escaping can enlarge several times.
   */
  maxBodyBytes: number;
  /** The IAM permission prefix (`logs:CreateLogGroup`). */
  iamPrefix: string;
  accessDenied(message: string): WireError;
}

export const SERVICES: Record<ServiceName, ServiceDefinition> = {
  logs: {
    model: LOGS_MODEL,
    operations: LOGS_OPERATIONS,
    maxBodyBytes: 4 * 1024 * 1024,
    iamPrefix: "logs",
    accessDenied: (m) => new WireError("AccessDeniedException", "AccessDeniedException", 400, m),
  },
  cloudwatch: {
    model: CLOUDWATCH_MODEL,
    operations: CLOUDWATCH_OPERATIONS,
    maxBodyBytes: 1024 * 1024,
    iamPrefix: "cloudwatch",
    accessDenied: (m) => new WireError("AccessDeniedException", "AccessDenied", 403, m),
  },
  sns: {
    model: SNS_MODEL,
    operations: SNS_OPERATIONS,
    maxBodyBytes: 1024 * 1024,
    iamPrefix: "SNS",
    accessDenied: (m) => new WireError("AuthorizationErrorException", "AuthorizationError", 403, m),
  },
};

/** The largest limit of any service: what the HTTP layer reads at most before routing. */
export const MAX_REQUEST_BYTES = Math.max(...Object.values(SERVICES).map((s) => s.maxBodyBytes));
