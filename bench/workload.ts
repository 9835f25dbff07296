/**
 * Synthetic CloudTrail workload for the benchmarks, grown from the 896 real records in
 * `fixtures/cloudtrail/records.jsonl`.
 *
 * Every generated event is one of the real records, picked uniformly at random, so the real mix of
 * identity types, event names and shapes stays the same (partial or odd records included). Each event
 * then gets new values for what would differ between real events:
 * - `eventID`: a new uuid (always set).
 * - `requestID`: new random characters in the same shape as the original value, when there is one.
 * - `eventTime`: spread evenly over a window (30 days by default) and never decreasing from one event to the next.
 * - the actor: an IAM user or role session out of a fixed pool, applied so that the fields agree:
 *   `userName`, the last segment of `arn`, `principalId` (`AIDA…` id, or the session part after `:`),
 *   `accessKeyId` (keeping its `AKIA`/`ASIA` prefix) and an IPv4 `sourceIPAddress`. Service principals,
 *   Root identities and placeholder values from test events are left unchanged.
 *
 * Everything comes from one seeded PRNG, so the same options always give the same bytes.
 */
import { once } from "node:events";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";

export const RECORDS_PATH = fileURLToPath(new URL("../fixtures/cloudtrail/records.jsonl", import.meta.url));

/** The fixture's records, one compact JSON string per element. */
export function loadRecordLines(path: string = RECORDS_PATH): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

// ---------------------------------------------------------------------------------------------------
// PRNG

/** sfc32: small, fast and good enough for workload generation; deterministic for a given seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
}

const HEX = "0123456789abcdef";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"; // the alphabet of AWS key and unique ids
const DIGITS = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function randomChars(rng: Rng, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

/** A random version-4 uuid, lower case. */
export function uuid(rng: Rng): string {
  const h = randomChars(rng, HEX, 32);
  const variant = HEX[8 + rng.int(4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const LOWER_HEX_ID = /^[0-9a-f-]+$/;
const UPPER_HEX_ID = /^[0-9A-F-]+$/;

/** New random characters in the shape of `s`: hex stays hex (same case), digits stay digits, letters keep case. */
export function reshape(rng: Rng, s: string): string {
  const lowerHex = LOWER_HEX_ID.test(s);
  const upperHex = !lowerHex && UPPER_HEX_ID.test(s);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isDigit = c >= 48 && c <= 57;
    const isLower = c >= 97 && c <= 122;
    const isUpper = c >= 65 && c <= 90;
    if (lowerHex && (isDigit || isLower)) out += HEX[rng.int(16)];
    else if (upperHex && (isDigit || isUpper)) out += HEX[rng.int(16)].toUpperCase();
    else if (isDigit) out += DIGITS[rng.int(10)];
    else if (isLower) out += LOWER[rng.int(26)];
    else if (isUpper) out += UPPER[rng.int(26)];
    else out += s[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Actors

// biome-ignore format: a word list
const FIRST = [
  "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
  "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe", "minji", "jiho", "seoyeon",
  "ci-deploy", "terraform", "backup", "etl", "monitoring", "admin", "dev", "ops",
];
const LAST = [
  "kim",
  "lee",
  "park",
  "choi",
  "smith",
  "jones",
  "garcia",
  "muller",
  "rossi",
  "dubois",
  "svc",
  "bot",
];

export interface Actor {
  /** IAM user name, also used as the role-session name when the actor assumes a role. */
  readonly name: string;
  /** The 17 characters after `AIDA` in the user's unique id (21 characters in all, as AWS issues them). */
  readonly idSuffix: string;
  /** The 16 characters after `AKIA` / `ASIA`. */
  readonly keySuffix: string;
  readonly ip: string;
}

export function makeActors(count: number, seed: number): Actor[] {
  const rng = new Rng(seed ^ 0x5eed_a770);
  const actors: Actor[] = [];
  for (let k = 0; k < count; k++) {
    const round = Math.floor(k / (FIRST.length * LAST.length));
    const name =
      `${FIRST[k % FIRST.length]}.${LAST[Math.floor(k / FIRST.length) % LAST.length]}` +
      (round > 0 ? round : "");
    // Public-looking unicast IPv4 (first octet 1..223, skipping 10 and 127).
    let o1 = 1 + rng.int(223);
    if (o1 === 10 || o1 === 127) o1++;
    const ip = `${o1}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
    actors.push({
      name,
      idSuffix: randomChars(rng, UPPER_ALNUM, 17),
      keySuffix: randomChars(rng, UPPER_ALNUM, 16),
      ip,
    });
  }
  return actors;
}

// ---------------------------------------------------------------------------------------------------
// Events

export interface WorkloadOptions {
  /** PRNG seed (default 20240101). */
  seed?: number;
  /** Start of the time window, ms since epoch (default 2024-06-01T00:00:00Z). */
  startMs?: number;
  /** Width of the time window in days (default 30). */
  spanDays?: number;
  /** Size of the actor pool (default 5000). */
  actors?: number;
  /** The record lines to sample from (default: the fixture). */
  records?: readonly string[];
}

type Json = Record<string, unknown>;

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const UNIQUE_ID = /^A(IDA|ROA)[A-Z0-9]{8,}$/;
const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;
const VARIED_TYPES = new Set(["IAMUser", "AssumedRole", "FederatedUser"]);

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

/**
 * Produces the varied events. Event `i` of `n` gets a time at `i / n` through the window, so a stream of
 * events from `0` to `n - 1` is in time order.
 */
export class EventFactory {
  readonly templates: readonly Json[];
  readonly actors: readonly Actor[];
  private readonly rng: Rng;
  private readonly startMs: number;
  private readonly spanMs: number;

  constructor(opts: WorkloadOptions = {}) {
    const seed = opts.seed ?? 20240101;
    const lines = opts.records ?? loadRecordLines();
    this.templates = lines.map((l) => JSON.parse(l) as Json);
    this.actors = makeActors(opts.actors ?? 5000, seed);
    this.rng = new Rng(seed);
    this.startMs = opts.startMs ?? Date.UTC(2024, 5, 1);
    this.spanMs = (opts.spanDays ?? 30) * 86_400_000;
  }

  /** The i-th of n events, as an object (shallow copies of the template where it changes). */
  event(i: number, n: number): Json {
    const rng = this.rng;
    const tpl = this.templates[rng.int(this.templates.length)];
    const ev: Json = { ...tpl };
    ev.eventID = uuid(rng);
    if (typeof tpl.requestID === "string" && tpl.requestID !== "") ev.requestID = reshape(rng, tpl.requestID);
    ev.eventTime = isoSeconds(this.startMs + Math.floor(((i + rng.float()) * this.spanMs) / n));
    const ui = tpl.userIdentity;
    if (isObject(ui) && typeof ui.type === "string" && VARIED_TYPES.has(ui.type)) {
      const actor = this.actors[rng.int(this.actors.length)];
      ev.userIdentity = this.applyActor(ui, actor);
      if (typeof tpl.sourceIPAddress === "string" && IPV4.test(tpl.sourceIPAddress))
        ev.sourceIPAddress = actor.ip;
    }
    return ev;
  }

  /** The i-th of n events as one compact JSON line. */
  line(i: number, n: number): string {
    return JSON.stringify(this.event(i, n));
  }

  private applyActor(ui: Json, actor: Actor): Json {
    const out: Json = { ...ui };
    const arn = typeof ui.arn === "string" ? ui.arn : undefined;
    const slash = arn ? arn.lastIndexOf("/") : -1;
    // The name the record's actor goes by: the user name, else the session name at the end of the arn.
    const oldName =
      typeof ui.userName === "string" ? ui.userName : arn && slash >= 0 ? arn.slice(slash + 1) : undefined;
    if (typeof ui.userName === "string") out.userName = actor.name;
    if (arn && slash >= 0 && oldName !== undefined && arn.slice(slash + 1) === oldName) {
      out.arn = arn.slice(0, slash + 1) + actor.name;
    }
    const pid = ui.principalId;
    if (typeof pid === "string") {
      const colon = pid.indexOf(":");
      if (colon >= 0) {
        // AROA…:session, account:federated-name
        if (oldName === undefined || pid.slice(colon + 1) === oldName)
          out.principalId = `${pid.slice(0, colon + 1)}${actor.name}`;
      } else if (UNIQUE_ID.test(pid) && ui.type === "IAMUser") {
        out.principalId = `AIDA${actor.idSuffix.slice(0, pid.length - 4)}`;
      } else if (oldName !== undefined && pid === oldName) {
        out.principalId = actor.name;
      }
    }
    const key = ui.accessKeyId;
    if (typeof key === "string" && ACCESS_KEY.test(key)) {
      out.accessKeyId =
        key.slice(0, 4) + actor.keySuffix.slice(0, key.length - 4).padEnd(key.length - 4, "Q");
    }
    return out;
  }
}

export interface GenerateOptions extends WorkloadOptions {
  /**
   * Number of distinct lines to generate; the returned array repeats them as a ring when smaller than n.
   * Default: n (every line distinct).
   */
  distinct?: number;
}

/** n event lines in memory (see `distinct` to bound memory). */
export function generateLines(n: number, opts: GenerateOptions = {}): string[] {
  const factory = new EventFactory(opts);
  const distinct = Math.min(n, opts.distinct ?? n);
  const pool: string[] = new Array(distinct);
  for (let i = 0; i < distinct; i++) pool[i] = factory.line(i, distinct);
  if (distinct === n) return pool;
  const lines: string[] = new Array(n);
  for (let i = 0; i < n; i++) lines[i] = pool[i % distinct];
  return lines;
}

/** The events one at a time, without holding them all. */
export function* eventLines(n: number, opts: WorkloadOptions = {}): Generator<string> {
  const factory = new EventFactory(opts);
  for (let i = 0; i < n; i++) yield factory.line(i, n);
}

export interface CloudTrailFilesOptions extends WorkloadOptions {
  /** Account id in the object keys (default 123456789012). */
  accountId?: string;
  /** Region in the object keys (default us-east-1). */
  region?: string;
}

/**
 * Writes n events into k gzipped CloudTrail log files `{"Records":[…]}` under `dir`, laid out as CloudTrail
 * lays them out in S3 (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<id>.json.gz`).
 * Events stay in time order across files. Streams, so n is not bounded by memory. Returns the file paths in order.
 */
export async function writeCloudTrailFiles(
  dir: string,
  n: number,
  k: number,
  opts: CloudTrailFilesOptions = {},
): Promise<string[]> {
  if (!(k >= 1) || !(n >= 0))
    throw new Error(`writeCloudTrailFiles: need n >= 0 and k >= 1 (n=${n}, k=${k})`);
  const account = opts.accountId ?? "123456789012";
  const region = opts.region ?? "us-east-1";
  const factory = new EventFactory(opts);
  const nameRng = new Rng((opts.seed ?? 20240101) ^ 0x0f11e5);
  const paths: string[] = [];
  let i = 0;
  for (let f = 0; f < k; f++) {
    const end = Math.floor(((f + 1) * n) / k);
    const events: string[] = [];
    // Generate the first event before naming the file: the file's timestamp is its first event's time.
    const first = i < end ? factory.event(i++, n) : undefined;
    const time = typeof first?.eventTime === "string" ? first.eventTime : isoSeconds(Date.now());
    const [date] = time.split("T");
    const [y, m, d] = date.split("-");
    const stamp = `${y}${m}${d}T${time.slice(11, 13)}${time.slice(14, 16)}Z`;
    const name = `${account}_CloudTrail_${region}_${stamp}_${randomChars(nameRng, UPPER_ALNUM + "abcdefghijklmnopqrstuvwxyz", 16)}.json.gz`;
    const path = join(dir, "AWSLogs", account, "CloudTrail", region, y, m, d, name);
    mkdirSync(dirname(path), { recursive: true });
    const gz = createGzip();
    const done = once(gz.pipe(createWriteStream(path)), "finish");
    const write = async (s: string) => {
      if (!gz.write(s)) await once(gz, "drain");
    };
    await write('{"Records":[');
    if (first) await write(JSON.stringify(first));
    while (i < end) {
      events.length = 0;
      // Write in chunks of ~1000 events.
      for (let c = 0; c < 1000 && i < end; c++) events.push(factory.line(i++, n));
      await write("," + events.join(","));
    }
    gz.end("]}");
    await done;
    paths.push(path);
  }
  return paths;
}
