/**
 * The destination guard for HTTP/S subscriptions: no SSRF through webhooks. An endpoint URL may only be an
 * `http:` or `https:` URL whose host is (or resolves only to) public addresses, unless the operator allows more:
 *
 * - `serverBoundToLoopback`: the server listens on loopback only (local development), so loopback endpoints
 *   are allowed; private and link-local ones still follow `allowPrivate`.
 * - `allowPrivate`: loopback, private (RFC 1918, CGNAT, ULA, benchmarking) and link-local addresses are allowed.
 * - `allowedHosts`: these hostnames (or IP literals) are allowed whatever they resolve to.
 *
 * Unspecified (`0.0.0.0`, `::`, `0/8`) and non-unicast or reserved addresses (multicast, broadcast, `240/4`,
 * documentation ranges, Teredo) are always refused unless the host is in `allowedHosts`.
 *
 * Numeric host tricks (`http://2130706433/`, `http://0x7f.1/`, `http://0177.0.0.1/`) are normalized by the
 * WHATWG URL parser before the check; IPv6 forms that embed an IPv4 address (`::ffff:127.0.0.1`, `::127.0.0.1`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the embedded address.
 *
 * DNS rebinding: `check(url)` resolves the host and refuses it if any address is refused, but a name can resolve
 * differently a moment later. So the guard also provides `lookup`, a `net` lookup function for `http.request`:
 * it resolves at connect time and applies the same rule to the very addresses the socket then connects to.
 * `postDelivery` uses both, so a name that passed `check` and then rebinds to `127.0.0.1` still fails. IP
 * literals are connected to without a lookup; `check` has already judged them and they cannot change.
 *
 * Refusals throw `InvalidParameterException` (SNS's error for a bad endpoint, wire code `InvalidParameter`).
 * DNS failures are not refusals: `check` lets the resolver's error (`ENOTFOUND`, ...) through so that the
 * caller can treat it as a transient connection failure.
 */
import {
  lookup as dnsLookup,
  promises as dnsPromises,
  type LookupAddress,
  type LookupOptions,
} from "node:dns";
import { isIP, type LookupFunction } from "node:net";

/** What an IP address is, for the purpose of deciding whether a webhook may be delivered to it. */
export type AddressKind = "public" | "loopback" | "private" | "link-local" | "unspecified" | "reserved";

/** Why an endpoint was refused (`reason` on the error). */
export type RefusalReason = "invalid-url" | "scheme" | Exclude<AddressKind, "public">;

export interface DestinationPolicy {
  /** The server listens on loopback only: loopback destinations are allowed (local development). */
  serverBoundToLoopback: boolean;
  /** Loopback, private and link-local destinations are allowed. */
  allowPrivate: boolean;
  /** Hostnames or IP literals allowed whatever they resolve to (case-insensitive, exact). */
  allowedHosts?: readonly string[];
}

export interface CheckedDestination {
  url: URL;
  /** The addresses the host resolved to (the literal itself for an IP host; empty for an allowed host). */
  addresses: string[];
}

export interface DestinationGuard {
  readonly policy: Readonly<DestinationPolicy>;
  /** Throws `InvalidParameterException` unless `url` may receive deliveries; resolves hostnames to decide. */
  check(url: string | URL): Promise<CheckedDestination>;
  /** A `net`/`http.request` lookup that refuses forbidden addresses at connect time (DNS rebinding). */
  readonly lookup: LookupFunction;
}

/** SNS's error for a bad `Endpoint`; `name` is the SDK's exception name, `code` the query-protocol code. */
export class InvalidParameterException extends Error {
  override readonly name = "InvalidParameterException";
  readonly code = "InvalidParameter";
  constructor(
    message: string,
    readonly reason: RefusalReason,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses as bytes

export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
}

/** Parses a plain IPv4 (dotted quad) or IPv6 address (brackets and a `%zone` allowed); undefined otherwise. */
export function parseIp(text: string): ParsedIp | undefined {
  let s = text;
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const version = isIP(s);
  if (version === 4) return { version: 4, bytes: Uint8Array.from(s.split(".").map(Number)) };
  if (version === 6) return { version: 6, bytes: ipv6Bytes(s) };
  return undefined;
}

/** `s` is a valid IPv6 address (checked by `net.isIP`). */
function ipv6Bytes(s: string): Uint8Array {
  let text = s;
  const embedded: number[] = [];
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const q = tail.split(".").map(Number);
    embedded.push((q[0] << 8) | q[1], (q[2] << 8) | q[3]);
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const groupsOf = (part: string): number[] =>
    part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16));
  const gap = text.indexOf("::");
  let groups: number[];
  if (gap >= 0) {
    const left = groupsOf(text.slice(0, gap));
    const right = [...groupsOf(text.slice(gap + 2)), ...embedded];
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    groups = [...groupsOf(text), ...embedded];
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

function inV4(b: Uint8Array, net: [number, number, number, number], prefix: number): boolean {
  const addr = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const base = ((net[0] << 24) | (net[1] << 16) | (net[2] << 8) | net[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (addr & mask) >>> 0 === (base & mask) >>> 0;
}

function classifyV4(b: Uint8Array): AddressKind {
  if (inV4(b, [0, 0, 0, 0], 8)) return "unspecified"; // "this network"
  if (inV4(b, [127, 0, 0, 0], 8)) return "loopback";
  if (inV4(b, [169, 254, 0, 0], 16)) return "link-local"; // includes the metadata address 169.254.169.254
  if (
    inV4(b, [10, 0, 0, 0], 8) ||
    inV4(b, [172, 16, 0, 0], 12) ||
    inV4(b, [192, 168, 0, 0], 16) ||
    inV4(b, [100, 64, 0, 0], 10) || // CGNAT shared address space
    inV4(b, [198, 18, 0, 0], 15) || // benchmarking (also fake-IP DNS of local proxies)
    inV4(b, [192, 0, 0, 0], 24) // IETF protocol assignments
  ) {
    return "private";
  }
  if (
    inV4(b, [192, 0, 2, 0], 24) ||
    inV4(b, [198, 51, 100, 0], 24) ||
    inV4(b, [203, 0, 113, 0], 24) || // documentation
    inV4(b, [192, 88, 99, 0], 24) || // deprecated 6to4 relay anycast
    inV4(b, [224, 0, 0, 0], 4) || // multicast
    inV4(b, [240, 0, 0, 0], 4) // reserved, includes 255.255.255.255
  ) {
    return "reserved";
  }
  return "public";
}

function classifyV6(b: Uint8Array): AddressKind {
  const zeroUpTo = (n: number) => b.subarray(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return "unspecified";
  if (zeroUpTo(15) && b[15] === 1) return "loopback";
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d: judged as the IPv4 address.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.subarray(12));
  if (zeroUpTo(12)) return classifyV4(b.subarray(12));
  // NAT64 64:ff9b::/96 reaches the embedded IPv4 address; 64:ff9b:1::/48 is for local use.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (b.subarray(4, 12).every((x) => x === 0)) return classifyV4(b.subarray(12));
    if (b[4] === 0 && b[5] === 1) return "private";
  }
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(b.subarray(2, 6)); // 6to4
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return "reserved"; // documentation
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return "reserved"; // Teredo
  if (b[0] === 0x01 && b[1] === 0x00 && b.subarray(2, 8).every((x) => x === 0)) return "reserved"; // discard
  if ((b[0] & 0xfe) === 0xfc) return "private"; // unique local fc00::/7
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return "link-local"; // fe80::/10
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return "private"; // deprecated site-local fec0::/10
  if (b[0] === 0xff) return "reserved"; // multicast
  return "public";
}

/** Classifies an IP address; throws a TypeError for something that is not one. */
export function classifyAddress(ip: string): AddressKind {
  const parsed = parseIp(ip);
  if (!parsed) throw new TypeError(`not an IP address: ${ip}`);
  return parsed.version === 4 ? classifyV4(parsed.bytes) : classifyV6(parsed.bytes);
}

/** Whether a policy lets deliveries go to an address of this kind. */
export function addressAllowed(kind: AddressKind, policy: DestinationPolicy): boolean {
  switch (kind) {
    case "public":
      return true;
    case "loopback":
      return policy.serverBoundToLoopback || policy.allowPrivate;
    case "private":
    case "link-local":
      return policy.allowPrivate;
    case "unspecified":
    case "reserved":
      return false;
  }
}

/**
 * Whether a listen address keeps the server on this machine (`127.0.0.1`, `::1`, `localhost`), which is what
 * `serverBoundToLoopback` means. `0.0.0.0`, `::` and any other address are reachable from beyond loopback.
 */
export function isLoopbackBindAddress(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const parsed = parseIp(h);
  return parsed !== undefined && classifyAddress(h) === "loopback";
}

// ---------------------------------------------------------------------------------------------------------------
// The guard

const KIND_TEXT: Record<Exclude<AddressKind, "public">, string> = {
  loopback: "a loopback address",
  private: "a private address",
  "link-local": "a link-local address",
  unspecified: "an unspecified address",
  reserved: "a reserved or non-unicast address",
};

function hint(kind: Exclude<AddressKind, "public">): string {
  if (kind === "unspecified" || kind === "reserved") return "";
  return " (not allowed by the server's webhook destination policy)";
}

function refuse(
  host: string,
  address: string,
  kind: Exclude<AddressKind, "public">,
): InvalidParameterException {
  const what =
    host === address
      ? `${address} is ${KIND_TEXT[kind]}`
      : `${host} resolves to ${address}, ${KIND_TEXT[kind]}`;
  // "Unreachable Endpoint" is SNS's own text for an endpoint it will not deliver to.
  return new InvalidParameterException(`Invalid parameter: Unreachable Endpoint: ${what}${hint(kind)}`, kind);
}

function badEndpoint(reason: "invalid-url" | "scheme", detail: string): InvalidParameterException {
  return new InvalidParameterException(`Invalid parameter: Endpoint: ${detail}`, reason);
}

/** The hostname of a URL without IPv6 brackets, lower case. */
function bareHost(url: URL): string {
  const h = url.hostname.toLowerCase();
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

function sameHost(a: string, b: string): boolean {
  const pa = parseIp(a);
  const pb = parseIp(b);
  if (pa && pb) return pa.version === pb.version && pa.bytes.every((x, i) => x === pb.bytes[i]);
  return a.replace(/\.$/, "") === b.replace(/\.$/, "");
}

export function makeDestinationGuard(policy: DestinationPolicy): DestinationGuard {
  const frozen: DestinationPolicy = Object.freeze({
    serverBoundToLoopback: policy.serverBoundToLoopback,
    allowPrivate: policy.allowPrivate,
    allowedHosts: Object.freeze((policy.allowedHosts ?? []).map((h) => h.trim().toLowerCase())),
  });
  const allowedHost = (host: string) => (frozen.allowedHosts ?? []).some((a) => sameHost(a, host));

  /** Throws for the first refused address. */
  const judge = (host: string, addresses: readonly string[]): void => {
    for (const address of addresses) {
      const kind = classifyAddress(address);
      if (kind !== "public" && !addressAllowed(kind, frozen)) throw refuse(host, address, kind);
    }
  };

  const check = async (input: string | URL): Promise<CheckedDestination> => {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      throw badEndpoint("invalid-url", "not a valid URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw badEndpoint("scheme", `the scheme ${url.protocol.replace(/:$/, "")} is not http or https`);
    }
    const host = bareHost(url);
    if (host === "") throw badEndpoint("invalid-url", "the URL has no host");
    if (allowedHost(host)) return { url, addresses: [] };
    if (parseIp(host)) {
      judge(host, [host]);
      return { url, addresses: [host] };
    }
    const found = await dnsPromises.lookup(host, { all: true, verbatim: true });
    const addresses = found.map((a) => a.address);
    if (addresses.length === 0)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    judge(host, addresses);
    return { url, addresses };
  };

  const lookup = ((
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", undefined);
      const host = hostname.toLowerCase();
      if (!allowedHost(host)) {
        try {
          judge(
            host,
            addresses.map((a) => a.address),
          );
        } catch (refusal) {
          return callback(refusal as NodeJS.ErrnoException, "", undefined);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }),
          "",
        );
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;

  return { policy: frozen, check, lookup };
}
