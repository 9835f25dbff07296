/**
 * A minimal DER (ASN.1 Distinguished Encoding Rules) encoder: just the types an X.509 v3 certificate needs.
 * Node 20's node:crypto can make keys, sign and parse certificates, but cannot build one; this fills the gap
 * without a dependency. Every function returns the complete TLV (tag, length, value) as a Buffer.
 */

/** A TLV with the given tag byte. */
export function tlv(tag: number, value: Uint8Array): Buffer {
  const n = value.length;
  let length: Buffer;
  if (n < 0x80) {
    length = Buffer.from([n]);
  } else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, value]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

export function set(...items: Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

export function boolean(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(0x05, Buffer.alloc(0));
}

/** An INTEGER from a small non-negative number. */
export function integer(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return unsignedInteger(Buffer.from(bytes));
}

/** An INTEGER from unsigned big-endian bytes (serial numbers): minimal, with a 0x00 when the top bit is set. */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let body = Buffer.from(bytes.subarray(start));
  if (body.length === 0) body = Buffer.from([0]);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

/** An OBJECT IDENTIFIER from dotted text, e.g. `2.5.4.3`. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) {
    throw new RangeError(`oid: ${dotted}`);
  }
  const out: number[] = [];
  const base128 = (n: number) => {
    const groups: number[] = [n % 128];
    for (let rest = Math.floor(n / 128); rest > 0; rest = Math.floor(rest / 128))
      groups.unshift((rest % 128) | 0x80);
    out.push(...groups);
  };
  base128(arcs[0] * 40 + arcs[1]);
  for (const arc of arcs.slice(2)) base128(arc);
  return tlv(0x06, Buffer.from(out));
}

export function utf8String(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, "utf8"));
}

export function octetString(bytes: Uint8Array): Buffer {
  return tlv(0x04, bytes);
}

/** A BIT STRING of whole bytes with `unusedBits` unused bits at the end of the last byte. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** `[n] EXPLICIT`: a constructed context-specific wrapper. */
export function explicit(n: number, inner: Uint8Array): Buffer {
  return tlv(0xa0 | n, inner);
}

/** `[n] IMPLICIT` for a primitive value (e.g. GeneralName's dNSName [2] and iPAddress [7]). */
export function implicitPrimitive(n: number, value: Uint8Array): Buffer {
  return tlv(0x80 | n, value);
}

/**
 * X.509 Time (RFC 5280 §4.1.2.5): UTCTime `YYMMDDHHMMSSZ` for years 1950–2049, GeneralizedTime
 * `YYYYMMDDHHMMSSZ` from 2050 on, always in whole seconds and UTC.
 */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const p2 = (n: number) => String(n).padStart(2, "0");
  const rest =
    p2(date.getUTCMonth() + 1) +
    p2(date.getUTCDate()) +
    p2(date.getUTCHours()) +
    p2(date.getUTCMinutes()) +
    p2(date.getUTCSeconds()) +
    "Z";
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(p2(year % 100) + rest, "latin1"));
  return tlv(0x18, Buffer.from(String(year).padStart(4, "0") + rest, "latin1"));
}
