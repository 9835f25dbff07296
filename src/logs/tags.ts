/**
 * Log group tags (TagResource / UntagResource / ListTagsForResource, and the older TagLogGroup family): the
 * model's constraints (keys 1–128 of letters, digits, spaces and `_.:/=+-@`, not starting with `aws:`; values up
 * to 256; at most 50 tags on a resource) and the log-group ARN the newer APIs take.
 */
import { LogsError, validationError } from "./errors.js";

export const MAX_TAGS = 50;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTagMap(tags: unknown, member = "tags"): Record<string, string> {
  if (typeof tags !== "object" || tags === null || Array.isArray(tags))
    throw validationError(tags ?? null, member, "Member must not be null");
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length < 1)
    throw validationError("{}", member, "Member must have length greater than or equal to 1");
  if (entries.length > MAX_TAGS)
    throw validationError(
      `[${entries.length} tags]`,
      member,
      `Member must have length less than or equal to ${MAX_TAGS}`,
    );
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    checkTagKey(k, `${member}.key`);
    if (typeof v !== "string" || v.length > 256 || !TAG_VALUE.test(v)) {
      throw validationError(
        v,
        `${member}.${k}.member`,
        "Member must have length less than or equal to 256 and satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
      );
    }
    out[k] = v;
  }
  return out;
}

export function checkTagKeys(keys: unknown, member = "tagKeys"): string[] {
  if (!Array.isArray(keys)) throw validationError(keys ?? null, member, "Member must not be null");
  if (keys.length < 1)
    throw validationError("[]", member, "Member must have length greater than or equal to 1");
  if (keys.length > MAX_TAGS)
    throw validationError(
      `[${keys.length} keys]`,
      member,
      `Member must have length less than or equal to ${MAX_TAGS}`,
    );
  return keys.map((k, i) => checkTagKey(k, `${member}.${i + 1}.member`));
}

function checkTagKey(k: unknown, member: string): string {
  if (typeof k !== "string" || k.length < 1 || k.length > 128 || !TAG_KEY.test(k)) {
    throw validationError(
      k ?? null,
      member,
      "Member must have length less than or equal to 128 and greater than or equal to 1 and satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$",
    );
  }
  if (k.startsWith("aws:"))
    throw new LogsError("InvalidParameterException", "Tag keys prefixed with 'aws:' are reserved.");
  return k;
}

/** The log group an ARN names (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, with or without `:*`). */
export function logGroupOfArn(arn: unknown): string {
  if (typeof arn !== "string" || arn.length < 1 || arn.length > 1011)
    throw validationError(arn ?? null, "resourceArn", "Member must have length greater than or equal to 1");
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(arn);
  if (!m) {
    throw new LogsError(
      "InvalidParameterException",
      `Invalid resourceArn: ${arn}. Only log group ARNs can be tagged here.`,
    );
  }
  return m[1];
}
