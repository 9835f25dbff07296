/**
 * Exact decimal numbers, as AWS compares them: a pattern's numeric literal is an exact decimal
 * (`= 1e-999` is not 0), a JSON integer is exact (9007199254740993 is not 9007199254740992) and a JSON
 * float is the double it parses to, taken at its shortest decimal text.
 */
export interface Decimal {
  /** -1, 0 or 1. */
  readonly sign: number;
  /** Significant digits without leading or trailing zeros ("" for zero). */
  readonly digits: string;
  /** value = sign * 0.digits * 10^exponent (0 for zero). */
  readonly exponent: number;
}

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses decimal text (`12`, `-1.5`, `+1000`, `1e-3`, `.5`); null if it is not a number. */
export function parseDecimal(text: string): Decimal | null {
  const m = NUMBER_TEXT.exec(text);
  if (!m) return null;
  const intPart = m[2];
  const fracPart = m[3] ?? "";
  if (intPart.length === 0 && fracPart.length === 0) return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isFinite(exp)) return null;
  const all = intPart + fracPart;
  let start = 0;
  while (start < all.length && all.charCodeAt(start) === 48) start++;
  let end = all.length;
  while (end > start && all.charCodeAt(end - 1) === 48) end--;
  if (start === end) return { sign: 0, digits: "", exponent: 0 };
  return {
    sign: m[1] === "-" ? -1 : 1,
    digits: all.slice(start, end),
    exponent: intPart.length - start + exp,
  };
}

/** Java's BigDecimal rejects exponents whose scale does not fit in an int; so does AWS. */
export function exponentFitsJavaInt(text: string): boolean {
  const m = /[eE]([+-]?\d+)$/.exec(text);
  if (!m) return true;
  const exp = Number(m[1]);
  return exp <= 2147483647 && exp >= -2147483648;
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  let mag: number;
  if (a.exponent !== b.exponent) mag = a.exponent < b.exponent ? -1 : 1;
  else {
    const n = Math.max(a.digits.length, b.digits.length);
    const da = a.digits.padEnd(n, "0");
    const db = b.digits.padEnd(n, "0");
    mag = da === db ? 0 : da < db ? -1 : 1;
  }
  return a.sign * mag;
}

/** The exact decimal of a finite double's shortest round-trip text. */
export function decimalOfDouble(v: number): Decimal {
  return parseDecimal(String(v)) as Decimal;
}

/**
 * Java's Double.toString: the text a JSON float has when compared with a string literal or a regex
 * (`1e3` -> "1000.0", `1e7` -> "1.0E7", `1e-999` -> "0.0", overflow -> "Infinity").
 */
export function javaDoubleToString(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const neg = v < 0;
  const abs = Math.abs(v);
  const [mant, expText] = abs.toExponential().split("e");
  const exp = Number(expText);
  const digits = mant.replace(".", "");
  let out: string;
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intLen = exp + 1;
      const intPart = digits.length > intLen ? digits.slice(0, intLen) : digits.padEnd(intLen, "0");
      const frac = digits.length > intLen ? digits.slice(intLen) : "0";
      out = `${intPart}.${frac}`;
    } else {
      out = `0.${"0".repeat(-exp - 1)}${digits}`;
    }
  } else {
    out = `${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}E${exp}`;
  }
  return neg ? `-${out}` : out;
}
