/**
 * The console password, kept only as an scrypt hash (RFC 7914). A plain password from the environment is
 * hashed at start and the plain text is not kept; an operator who does not want the plain text anywhere
 * gives the hash itself (`hashConsolePassword` prints the format: `scrypt$N$r$p$salt$hash`, base64url).
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

const KEY_LENGTH = 32;
/** OWASP's minimum for scrypt (N=2^17 costs 128 MiB); 2^15 keeps a login under ~100 ms on a small machine. */
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 };

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashConsolePassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULTS);
  const { N, r, p } = DEFAULTS;
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export class PasswordHashError extends Error {
  override readonly name = "PasswordHashError";
}

/** Checks the format up front so that a typo in the configuration fails at start, not at the first login. */
export function parsePasswordHash(stored: string): {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
} {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored.trim());
  if (!m) throw new PasswordHashError("console password hash: expected scrypt$N$r$p$salt$hash");
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || N > 2 ** 20)
    throw new PasswordHashError("console password hash: invalid scrypt parameters");
  return { N, r, p, salt: Buffer.from(m[4], "base64url"), key: Buffer.from(m[5], "base64url") };
}

export async function verifyConsolePassword(password: string, stored: string): Promise<boolean> {
  const h = parsePasswordHash(stored);
  const key = await derive(password, h.salt, h);
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}
