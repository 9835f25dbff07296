/**
 * Access keys for the AWS APIs, from the environment:
 *
 * - `TRAILWATCH_ACCESS_KEYS`: keys separated by commas, semicolons or newlines, each
 *   `ACCESS_KEY_ID:SECRET_ACCESS_KEY` or `ACCESS_KEY_ID:SECRET_ACCESS_KEY:ro` (read-only: Describe, List, Get
 *   and test operations only). Example: `AKIAOPS0001:s3cr3t,AKIAVIEW001:v13w:ro`.
 * - `TRAILWATCH_ACCESS_KEYS_FILE`: a file in the same format (one key a line, `#` comments), so that secrets
 *   need not sit in the environment. Both may be given; an id may appear only once.
 *
 * With no key at all, the APIs accept any well-formed signature, which `trailwatch serve` allows only when it
 * listens on loopback (authStartupError).
 */
import { readFileSync } from "node:fs";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  readOnly: boolean;
}

export interface AuthConfig {
  /** By access key id; empty = open (local development). */
  keys: Map<string, AccessKey>;
}

const KEY_ID = /^[A-Za-z0-9]{4,128}$/;

export class AuthConfigError extends Error {}

/** Parses the key list format above; `source` names it in errors. */
export function parseAccessKeys(text: string, source: string): AccessKey[] {
  const keys: AccessKey[] = [];
  text.split(/[\n,;]/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const parts = line.split(":");
    const [id, secret, flag] = parts;
    if (parts.length < 2 || parts.length > 3 || !KEY_ID.test(id) || !secret) {
      throw new AuthConfigError(
        `${source}: entry ${i + 1} is not ACCESS_KEY_ID:SECRET or ACCESS_KEY_ID:SECRET:ro (ids are 4-128 letters and digits)`,
      );
    }
    if (flag !== undefined && flag !== "ro" && flag !== "rw") {
      throw new AuthConfigError(`${source}: entry ${i + 1} ends in '${flag}'; use 'ro' or 'rw'`);
    }
    keys.push({ accessKeyId: id, secretAccessKey: secret, readOnly: flag === "ro" });
  });
  return keys;
}

/** The auth configuration from TRAILWATCH_ACCESS_KEYS and TRAILWATCH_ACCESS_KEYS_FILE. Throws AuthConfigError. */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const all: AccessKey[] = [];
  if (env.TRAILWATCH_ACCESS_KEYS)
    all.push(...parseAccessKeys(env.TRAILWATCH_ACCESS_KEYS, "TRAILWATCH_ACCESS_KEYS"));
  const file = env.TRAILWATCH_ACCESS_KEYS_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new AuthConfigError(`TRAILWATCH_ACCESS_KEYS_FILE: cannot read ${file}: ${(e as Error).message}`);
    }
    all.push(...parseAccessKeys(text, file));
  }
  const keys = new Map<string, AccessKey>();
  for (const k of all) {
    if (keys.has(k.accessKeyId)) throw new AuthConfigError(`access key ${k.accessKeyId} is configured twice`);
    keys.set(k.accessKeyId, k);
  }
  return { keys };
}

/** Open mode: no key configured, every well-formed signature is accepted. */
export function isOpen(config: AuthConfig): boolean {
  return config.keys.size === 0;
}

/**
 * Why `serve` must not start with this configuration, or undefined when it may: with no access keys, the APIs
 * would accept anyone, which is only acceptable when nobody but this machine can reach them.
 */
export function authStartupError(
  config: AuthConfig,
  server: { loopbackOnly: boolean; host?: string },
): string | undefined {
  if (!isOpen(config) || server.loopbackOnly) return undefined;
  return (
    `refusing to serve the AWS APIs on ${server.host ?? "a non-loopback address"} without access keys: ` +
    "anyone who can reach the port could change alarms and topics. Set TRAILWATCH_ACCESS_KEYS " +
    "(ACCESS_KEY_ID:SECRET[:ro], comma-separated) or TRAILWATCH_ACCESS_KEYS_FILE, or bind to 127.0.0.1."
  );
}
