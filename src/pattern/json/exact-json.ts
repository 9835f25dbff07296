/**
 * A strict JSON parser that keeps each number's text. It is the slow path: JSON.parse is used first, and
 * this runs only when a comparison depends on what JSON.parse throws away (an integer beyond 2^53, or
 * whether `1` was written `1.0`, which decides its Java string form).
 */
export class JsonNumber {
  constructor(
    readonly text: string,
    /** Written without fraction or exponent: Java parses it as an exact integer. */
    readonly isInteger: boolean,
  ) {}
}

export type ExactJson = null | boolean | string | JsonNumber | ExactJson[] | { [key: string]: ExactJson };

const MAX_DEPTH = 4000;

class Parser {
  pos = 0;
  constructor(readonly s: string) {}

  fail(): never {
    throw new SyntaxError(`invalid JSON at ${this.pos}`);
  }

  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.pos);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++this.pos);
  }

  value(depth: number): ExactJson {
    if (depth > MAX_DEPTH) this.fail();
    this.ws();
    const c = this.s[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "t") return this.word("true", true);
    if (c === "f") return this.word("false", false);
    if (c === "n") return this.word("null", null);
    return this.number();
  }

  word<T>(w: string, v: T): T {
    if (this.s.startsWith(w, this.pos)) {
      this.pos += w.length;
      return v;
    }
    return this.fail();
  }

  number(): JsonNumber {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const r = m.exec(this.s);
    if (!r || r[0].length === 0 || r[0] === "-") this.fail();
    this.pos += r[0].length;
    return new JsonNumber(r[0], r[1] === undefined && r[2] === undefined);
  }

  string(): string {
    // Reuse the engine's own string decoding for exactness (escapes, surrogates).
    const s = this.s;
    let i = this.pos + 1;
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) this.fail();
      if (c === 34) break;
      if (c === 92) i += 2;
      else i++;
    }
    const raw = s.slice(this.pos, i + 1);
    this.pos = i + 1;
    return JSON.parse(raw) as string;
  }

  array(depth: number): ExactJson[] {
    this.pos++;
    const out: ExactJson[] = [];
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail();
    }
  }

  object(depth: number): { [key: string]: ExactJson } {
    this.pos++;
    const out: { [key: string]: ExactJson } = {};
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail();
      const key = this.string();
      this.ws();
      if (this.s[this.pos++] !== ":") this.fail();
      const v = this.value(depth + 1);
      // Same as JSON.parse: the last duplicate wins; __proto__ stays an ordinary key.
      Object.defineProperty(out, key, { value: v, enumerable: true, configurable: true, writable: true });
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail();
    }
  }
}

/** Parses `text`; undefined when it is not valid JSON (or nests deeper than we evaluate exactly). */
export function parseExactJson(text: string): ExactJson | undefined {
  try {
    const p = new Parser(text);
    const v = p.value(0);
    p.ws();
    if (p.pos !== text.length) return undefined;
    return v;
  } catch {
    return undefined;
  }
}
