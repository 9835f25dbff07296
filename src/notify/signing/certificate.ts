/**
 * Self-signed X.509 v3 certificates (RFC 5280) built with the DER encoder in `der.ts` and signed with
 * node:crypto (SHA256withRSA). Used for trailwatch's SNS signing certificate (the one served at
 * `SigningCertURL`); tests also use it for a TLS certificate of a local HTTPS server.
 *
 * Limitations: RSA keys only; one subject attribute (CN); the extensions listed in `CertificateOptions`.
 */
import { createHash, type KeyObject, randomBytes, sign } from "node:crypto";
import { parseIp } from "../ssrf.js";
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from "./der.js";

const OID = {
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

/** KeyUsage bits in RFC 5280 order (bit 0 first). */
const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

export interface CertificateOptions {
  privateKey: KeyObject;
  publicKey: KeyObject;
  commonName: string;
  /** Default: now minus 5 minutes (clock skew). */
  notBefore?: Date;
  /** Default: `notBefore` plus `days`. */
  notAfter?: Date;
  /** Validity when `notAfter` is not given; default 3650 (about ten years). */
  days?: number;
  /** Unsigned big-endian serial; default 16 random bytes (RFC 5280: positive, at most 20 bytes). */
  serialNumber?: Uint8Array;
  /** Default: `["digitalSignature"]`. */
  keyUsage?: readonly KeyUsage[];
  extendedKeyUsage?: readonly ("serverAuth" | "clientAuth")[];
  subjectAltNames?: { dns?: readonly string[]; ip?: readonly string[] };
}

export interface BuiltCertificate {
  der: Buffer;
  pem: string;
}

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

/** KeyUsage as a DER BIT STRING: named bits, trailing zero bits removed (X.690 §11.2.2). */
function keyUsageBits(usages: readonly KeyUsage[]): Buffer {
  let bits = 0;
  let highest = -1;
  for (const u of usages) {
    const i = KEY_USAGE_BITS.indexOf(u);
    bits |= 0x80 >> i;
    highest = Math.max(highest, i);
  }
  if (highest < 0) return bitString(Buffer.alloc(0));
  return bitString(Buffer.from([bits]), 7 - highest);
}

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));
}

export function toPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** A self-signed certificate for `publicKey`, signed by `privateKey` with SHA256withRSA. */
export function createSelfSignedCertificate(options: CertificateOptions): BuiltCertificate {
  if (options.privateKey.asymmetricKeyType !== "rsa" || options.publicKey.asymmetricKeyType !== "rsa") {
    throw new TypeError("createSelfSignedCertificate: RSA keys only");
  }
  const notBefore = options.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.days ?? 3650) * 86_400_000);
  const serial = options.serialNumber ?? randomBytes(16);
  if (serial.length > 20) throw new RangeError("serial number longer than 20 bytes");
  const serialBytes = Buffer.from(serial);
  if (!options.serialNumber) serialBytes[0] = (serialBytes[0] & 0x7f) | 0x40; // positive, full length

  const spki = options.publicKey.export({ type: "spki", format: "der" });
  const keyId = createHash("sha1")
    .update(options.publicKey.export({ type: "pkcs1", format: "der" }))
    .digest();
  const algorithm = sequence(oid(OID.sha256WithRSAEncryption), nullValue());
  const subject = name(options.commonName);

  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, sequence()), // cA defaults to FALSE
    extension(OID.keyUsage, true, keyUsageBits(options.keyUsage ?? ["digitalSignature"])),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyId))),
  ];
  if (options.extendedKeyUsage?.length) {
    extensions.push(
      extension(OID.extKeyUsage, false, sequence(...options.extendedKeyUsage.map((u) => oid(OID[u])))),
    );
  }
  const san = options.subjectAltNames;
  if (san && ((san.dns?.length ?? 0) > 0 || (san.ip?.length ?? 0) > 0)) {
    const names: Buffer[] = [];
    for (const d of san.dns ?? []) {
      if (!/^[\x21-\x7e]+$/.test(d)) throw new TypeError(`subjectAltNames.dns: not an ASCII name: ${d}`);
      names.push(implicitPrimitive(2, Buffer.from(d, "latin1"))); // dNSName, an IA5String
    }
    for (const ip of san.ip ?? []) {
      const parsed = parseIp(ip);
      if (!parsed) throw new TypeError(`subjectAltNames.ip: not an IP address: ${ip}`);
      names.push(implicitPrimitive(7, parsed.bytes));
    }
    extensions.push(extension(OID.subjectAltName, false, sequence(...names)));
  }

  const tbs = sequence(
    explicit(0, integer(2)), // v3
    unsignedInteger(serialBytes),
    algorithm,
    subject, // issuer: self-signed
    sequence(time(notBefore), time(notAfter)),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign("sha256", tbs, options.privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return { der, pem: toPem(der) };
}
