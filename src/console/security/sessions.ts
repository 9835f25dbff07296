/**
 * Console sessions, in memory: a random id (the HttpOnly cookie) mapped to its CSRF token, whether the
 * password was given, the pending flash message, and an idle deadline. A restart logs everybody out, which
 * is acceptable for an operator console and keeps secrets out of the store.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export interface Session {
  id: string;
  csrf: string;
  authenticated: boolean;
  expires: number;
  /** One message shown on the next page (after a redirect), then cleared. */
  flash?: string;
}

const IDLE_MS = 12 * 3_600_000;
const MAX_SESSIONS = 10_000;

export class Sessions {
  readonly #byId = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(authenticated: boolean): Session {
    this.#sweep();
    const s: Session = {
      id: randomBytes(32).toString("base64url"),
      csrf: randomBytes(32).toString("base64url"),
      authenticated,
      expires: this.now() + IDLE_MS,
    };
    this.#byId.set(s.id, s);
    return s;
  }

  /** The live session of this id, its idle deadline pushed back. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.#byId.get(id);
    if (!s) return undefined;
    if (s.expires <= this.now()) {
      this.#byId.delete(id);
      return undefined;
    }
    s.expires = this.now() + IDLE_MS;
    return s;
  }

  destroy(id: string): void {
    this.#byId.delete(id);
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, s] of this.#byId) if (s.expires <= now) this.#byId.delete(id);
    // Unauthenticated sessions are cheap to create; never let them grow without bound.
    while (this.#byId.size >= MAX_SESSIONS) {
      const oldest = this.#byId.keys().next().value as string;
      this.#byId.delete(oldest);
    }
  }
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
