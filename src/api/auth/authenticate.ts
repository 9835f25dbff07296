/**
 * Who sent a request: the SigV4 checks in AWS's order (a signature at all, well-formed, signed for this
 * service, a known key, within the clock-skew window, then the signature itself), each failure in AWS's terms
 * for both protocol families (JSON `__type` / awsQuery `<Code>`, 400 in JSON and 403 in awsQuery).
 *
 * Open mode (no keys configured, loopback only): any well-formed signature for the right service is
 * accepted, whatever its key, secret or date.
 */

import { WireError } from "../wire/wire-error.js";
import type { AuthConfig } from "./config.js";
import { isOpen } from "./config.js";
import {
  computeSignature,
  formatAmzDate,
  MalformedAuthorization,
  type ParsedAuthorization,
  parseAmzDate,
  parseAuthorization,
  type SignedRequest,
  signaturesEqual,
} from "./sigv4.js";

/** AWS's window: a request signed more than 5 minutes before or after the server's time is refused. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface Principal {
  accessKeyId: string;
  readOnly: boolean;
  /** False in open mode, where nobody is really authenticated. */
  authenticated: boolean;
}

const authError = (type: string, code: string, message: string) =>
  new WireError(type, code, 400, message, true, 403);

export const authErrors = {
  missing: () =>
    authError(
      "MissingAuthenticationTokenException",
      "MissingAuthenticationToken",
      "Request is missing Authentication Token",
    ),
  incomplete: (message: string) => authError("IncompleteSignatureException", "IncompleteSignature", message),
  unknownKey: () =>
    authError(
      "UnrecognizedClientException",
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
    ),
  signature: (message?: string) =>
    authError(
      "InvalidSignatureException",
      "SignatureDoesNotMatch",
      message ??
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    ),
};

export interface AuthenticateOptions {
  config: AuthConfig;
  /** The signing name the routed service expects (`logs`, `monitoring`, `sns`). */
  service: string;
  now: () => number;
}

/** Throws a WireError when the request may not proceed. */
export function authenticate(req: SignedRequest, options: AuthenticateOptions): Principal {
  const header = first(req.headers.authorization);
  if (header === undefined || header.trim() === "") throw authErrors.missing();
  let auth: ParsedAuthorization;
  try {
    auth = parseAuthorization(header);
  } catch (e) {
    if (e instanceof MalformedAuthorization) throw authErrors.incomplete(e.message);
    throw e;
  }
  const c = auth.credential;
  if (c.service !== options.service) {
    throw authErrors.signature(`Credential should be scoped to correct service: '${options.service}'. `);
  }
  const amzDate = first(req.headers["x-amz-date"]);
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined) {
    throw authErrors.incomplete(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (amzDate.slice(0, 8) !== c.date) {
    throw authErrors.signature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${c.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (isOpen(options.config)) return { accessKeyId: c.accessKeyId, readOnly: false, authenticated: false };

  const key = options.config.keys.get(c.accessKeyId);
  if (key === undefined) throw authErrors.unknownKey();
  const now = options.now();
  if (signedAt < now - CLOCK_SKEW_MS) {
    throw authErrors.signature(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`,
    );
  }
  if (signedAt > now + CLOCK_SKEW_MS) {
    throw authErrors.signature(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`,
    );
  }
  const expected = computeSignature(req, auth, amzDate, key.secretAccessKey);
  if (!signaturesEqual(expected, auth.signature)) throw authErrors.signature();
  return { accessKeyId: key.accessKeyId, readOnly: key.readOnly, authenticated: true };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
