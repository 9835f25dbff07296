/**
 * Service errors to wire errors, through the service model's error table. The services name their errors
 * differently — LogsError and SnsError by exception shape (`ResourceNotFoundException`,
 * `NotFoundException`), CloudWatchError by its awsQuery code (`ResourceNotFound`) — so both are looked up:
 * a name that is a shape gives that shape's code and status, a name that is some shape's code gives that
 * shape. A name the model does not list (CloudWatch's `ValidationError`) is sent as it is, 400.
 * Anything else is a bug: undefined, and the caller answers InternalFailure.
 */
import type { ServiceModel } from "./model/types.js";
import { WireError } from "./wire/wire-error.js";

const AWS_ERROR_NAMES = new Set(["ValidationError", "ValidationException"]);

export function toWireError(model: ServiceModel, error: unknown): WireError | undefined {
  if (error instanceof WireError) return error;
  if (!(error instanceof Error)) return undefined;
  const name = error.name;
  const byShape = model.errors[name];
  if (byShape) return new WireError(name, byShape.code, byShape.status, error.message, byShape.sender);
  for (const [shape, e] of Object.entries(model.errors)) {
    if (e.code === name) return new WireError(shape, e.code, e.status, error.message, e.sender);
  }
  if (AWS_ERROR_NAMES.has(name)) return new WireError(name, name, 400, error.message);
  return undefined;
}
