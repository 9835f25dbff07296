/**
 * One HTTP/S delivery attempt: POST a built message to a subscriber's endpoint and say what happened.
 *
 * - Success is a 2xx answer, as with SNS. Anything else is a failure with a `failure` kind, and `retryable`
 *   says what SNS does with it: 5xx and 429, timeouts and connection errors are retried; other statuses are
 *   permanent failures (SendMessageToHttp: "Amazon SNS considers all 5XX errors and 429 ... as retryable ...
 *   All other errors are considered as permanent failures"). The retry policy decides; this only reports.
 * - Every destination goes through the SSRF guard: `guard.check(url)` before each hop, and `guard.lookup` as
 *   the socket's DNS lookup so that the address actually connected to is judged too (DNS rebinding). A refused
 *   destination is never connected to.
 * - Redirects are followed by hand, at most `maxRedirects` (3), each target re-checked first. The POST is
 *   repeated with the same headers and body for 301, 302, 303, 307 and 308 (turning a notification into a GET,
 *   as browsers do, would drop it); an `https:` endpoint may not redirect to `http:`.
 * - One deadline (`timeoutMs`, default 15 s, SNS's request timeout) covers the whole attempt, redirects included.
 *
 * Sent with node:http/https rather than `fetch`: Node 20's built-in fetch has no per-request DNS lookup hook
 * (that needs an undici `Agent`, which Node 20 does not expose), and the connect-time check is what makes the
 * guard hold against DNS rebinding. Each request uses its own connection (`agent: false`), so no pooled socket
 * made without the guard can be reused. Error texts never contain the URL's path, query or credentials.
 */
import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import { type DestinationGuard, InvalidParameterException } from "../ssrf.js";
import type { HttpDelivery } from "./deliveries.js";

export type DeliveryFailure =
  /** A non-2xx answer (including a redirect not followed for lack of a Location). */
  | "http-status"
  /** No answer within the deadline. */
  | "timeout"
  /** DNS failure, refused or reset connection, TLS error. */
  | "connection"
  /** The destination (or a redirect target) is refused by the SSRF guard; nothing was sent to it. */
  | "refused-destination"
  /** Too many redirects, an unparsable Location, or a redirect from https to http. */
  | "redirect"
  /** The caller's signal aborted the attempt. */
  | "aborted";

export interface DeliveryResult {
  /** A 2xx answer: delivered. */
  ok: boolean;
  /** The last HTTP status received, 0 when none was. */
  status: number;
  failure?: DeliveryFailure;
  /** Whether SNS would retry this failure (false when ok). */
  retryable: boolean;
  /** What went wrong, without the URL's path, query or credentials. */
  error?: string;
  /** Redirects followed. */
  redirects: number;
}

export interface PostOptions {
  guard: DestinationGuard;
  /** Deadline for the whole attempt, redirects included; default 15000 (SNS's request timeout). */
  timeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** Extra trusted CA certificates (PEM) for https endpoints, on top of Node's bundled roots. */
  ca?: string | readonly string[];
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const BODY_LIMIT = 64 * 1024;

/** `https://host:port` of a URL: what error texts may show of it. */
export function redactUrl(url: URL | string): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(invalid URL)";
  }
}

/** Whether SNS retries an HTTP status: 5xx and 429. */
export function isRetryableStatus(status: number): boolean {
  return (status >= 500 && status <= 599) || status === 429;
}

class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
}

interface Answer {
  status: number;
  location?: string;
}

/** Passing `ca` replaces Node's bundled roots, so they are added back. */
function caOption(ca: PostOptions["ca"]): string[] | undefined {
  if (ca === undefined) return undefined;
  return [...rootCertificates, ...(typeof ca === "string" ? [ca] : ca)];
}

/** `promise`, or a DeadlineExceeded rejection at `deadline` (for DNS look-ups, which have no timeout of ours). */
async function before<T>(deadline: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceeded("deadline exceeded")),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sendOnce(url: URL, delivery: HttpDelivery, options: PostOptions, deadline: number): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const body = Buffer.from(delivery.body, "utf8");
    const mod = url.protocol === "https:" ? https : http;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new DeadlineExceeded("deadline exceeded"));
    let settled = false;
    const req = mod.request(url, {
      method: "POST",
      headers: { ...delivery.headers, "Content-Length": String(body.length) },
      agent: false,
      lookup: options.guard.lookup,
      ca: url.protocol === "https:" ? caOption(options.ca) : undefined,
      signal: options.signal,
    });
    const timer = setTimeout(() => req.destroy(new DeadlineExceeded("deadline exceeded")), remaining);
    const finish = () => clearTimeout(timer);
    req.on("error", (err) => {
      finish();
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    req.on("response", (res) => {
      settled = true;
      const status = res.statusCode ?? 0;
      const location = typeof res.headers.location === "string" ? res.headers.location : undefined;
      resolve({ status, location });
      // Read (and drop) a bounded body so that the server sees a clean exchange; never wait past the deadline.
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > BODY_LIMIT) res.destroy();
      });
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", () => {});
    });
    req.end(body);
  });
}

function classify(err: unknown): { failure: DeliveryFailure; error: string } {
  if (err instanceof DeadlineExceeded) return { failure: "timeout", error: "no answer before the deadline" };
  if (err instanceof InvalidParameterException) return { failure: "refused-destination", error: err.message };
  const e = err as NodeJS.ErrnoException;
  if (e?.name === "AbortError") return { failure: "aborted", error: "aborted" };
  const code = e?.code ? `${e.code}: ` : "";
  return { failure: "connection", error: `${code}${e?.message ?? String(err)}` };
}

function failed(failure: DeliveryFailure, error: string, status: number, redirects: number): DeliveryResult {
  const retryable =
    failure === "timeout" ||
    failure === "connection" ||
    failure === "aborted" ||
    (failure === "http-status" && isRetryableStatus(status));
  return { ok: false, status, failure, retryable, error, redirects };
}

/** POSTs `delivery` to `url` (see the module comment for the rules). Never throws. */
export async function postDelivery(
  url: string,
  delivery: HttpDelivery,
  options: PostOptions,
): Promise<DeliveryResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const maxRedirects = options.maxRedirects ?? 3;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return failed("refused-destination", "Invalid parameter: Endpoint: not a valid URL", 0, 0);
  }
  for (let redirects = 0; ; redirects++) {
    try {
      await before(deadline, options.guard.check(target));
    } catch (err) {
      const d = classify(err);
      return failed(d.failure, `${redactUrl(target)}: ${d.error}`, 0, redirects);
    }
    let answer: Answer;
    try {
      answer = await sendOnce(target, delivery, options, deadline);
    } catch (err) {
      const d = classify(err);
      return failed(d.failure, `${redactUrl(target)}: ${d.error}`, 0, redirects);
    }
    const { status, location } = answer;
    if (status >= 200 && status <= 299) return { ok: true, status, retryable: false, redirects };
    if (!REDIRECTS.has(status) || location === undefined) {
      return failed("http-status", `${redactUrl(target)} answered HTTP ${status}`, status, redirects);
    }
    if (redirects >= maxRedirects) {
      return failed(
        "redirect",
        `${redactUrl(target)}: more than ${maxRedirects} redirects`,
        status,
        redirects,
      );
    }
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      return failed(
        "redirect",
        `${redactUrl(target)}: unparsable Location in HTTP ${status}`,
        status,
        redirects,
      );
    }
    if (target.protocol === "https:" && next.protocol === "http:") {
      return failed(
        "redirect",
        `${redactUrl(target)}: refused redirect from https to http`,
        status,
        redirects,
      );
    }
    target = next;
  }
}
