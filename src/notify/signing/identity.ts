/**
 * trailwatch's SNS signing identity: an RSA-2048 key and a self-signed certificate for it, kept in a directory
 * the caller chooses (`signing-key.pem`, mode 0600, and `signing-cert.pem`). The server publishes the
 * certificate at `/SimpleNotificationService-<certificateId>.pem`, the shape of SNS's own certificate URLs,
 * and every HTTP/S message carries that URL as `SigningCertURL`.
 *
 * `certificateId` is the first 32 hex digits of the SHA-256 of the certificate's DER (SNS's ids are 32 hex
 * digits too). It changes whenever the certificate does, so subscribers that cache certificates by URL (as
 * sns-validator does, forever) never check a new signature against an old certificate.
 *
 * The key is the identity; the certificate is derived from it. A missing, unparsable, mismatched or
 * nearly expired certificate (less than 30 days left) is replaced by a new one for the same key; a missing
 * key makes a new key and a new certificate. Files are written to a temporary name first: the key is then
 * hard-linked into place (so a concurrent starter never overwrites a key another process already wrote) and
 * the certificate renamed over the old one.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
} from "node:crypto";
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSelfSignedCertificate } from "./certificate.js";

export const SIGNING_KEY_FILE = "signing-key.pem";
export const SIGNING_CERT_FILE = "signing-cert.pem";
export const SIGNING_COMMON_NAME = "trailwatch SNS signing";

const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface SigningIdentity {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** The self-signed X.509 certificate, PEM. */
  certificatePem: string;
  /** 32 lowercase hex digits naming the certificate (`SimpleNotificationService-<id>.pem`). */
  certificateId: string;
}

/** The certificate's id: the first 32 hex digits of SHA-256 over its DER. */
export function certificateIdOf(certificatePem: string): string {
  return createHash("sha256").update(new X509Certificate(certificatePem).raw).digest("hex").slice(0, 32);
}

/** The URL path the server serves the certificate at, e.g. `/SimpleNotificationService-0123….pem`. */
export function signingCertPath(identity: Pick<SigningIdentity, "certificateId">): string {
  return `/SimpleNotificationService-${identity.certificateId}.pem`;
}

/** `SigningCertURL` for a server reachable at `baseUrl` (`http://127.0.0.1:4566`; a path prefix is kept). */
export function signingCertUrl(baseUrl: string, identity: Pick<SigningIdentity, "certificateId">): string {
  return `${baseUrl.replace(/\/+$/, "")}${signingCertPath(identity)}`;
}

/** A new certificate for `privateKeyPem` (CN `trailwatch SNS signing`, about ten years). */
export function newSigningCertificate(privateKeyPem: string, now = new Date()): string {
  const privateKey = createPrivateKey(privateKeyPem);
  return createSelfSignedCertificate({
    privateKey,
    publicKey: createPublicKey(privateKey),
    commonName: SIGNING_COMMON_NAME,
    notBefore: new Date(Math.floor(now.getTime() / 1000) * 1000 - 5 * 60_000),
    days: 3650,
    keyUsage: ["digitalSignature"],
  }).pem;
}

/** A new identity in memory (nothing written). */
export function createSigningIdentity(now = new Date()): SigningIdentity {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const certificatePem = newSigningCertificate(privateKeyPem, now);
  return { privateKeyPem, certificatePem, certificateId: certificateIdOf(certificatePem) };
}

/** Whether `certificatePem` is a usable certificate for `privateKeyPem` at `now`. */
function certificateFits(certificatePem: string, privateKeyPem: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(certificatePem);
    const privateKey = createPrivateKey(privateKeyPem);
    if (!cert.checkPrivateKey(privateKey)) return false;
    if (!cert.verify(createPublicKey(privateKey))) return false;
    const validTo = Date.parse(cert.validTo);
    return Date.parse(cert.validFrom) <= now.getTime() + 60_000 && validTo - now.getTime() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function tempName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
}

/** Writes the key unless one appeared meanwhile; returns the key on disk. */
async function writeKeyExclusive(path: string, pem: string): Promise<string> {
  const tmp = tempName(path);
  await writeFile(tmp, pem, { mode: 0o600, flag: "wx" });
  try {
    await chmod(tmp, 0o600); // exactly 0600 whatever the umask
    await link(tmp, path);
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return await readFile(path, "utf8");
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function writeReplacing(path: string, text: string): Promise<void> {
  const tmp = tempName(path);
  await writeFile(tmp, text, { mode: 0o644, flag: "wx" });
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Loads the signing identity from `dir`, creating the directory (mode 0700), the key and the certificate as
 * needed. Throws if an existing `signing-key.pem` is not an RSA private key (it is never overwritten).
 */
export async function loadOrCreateSigningIdentity(dir: string, now = new Date()): Promise<SigningIdentity> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, SIGNING_KEY_FILE);
  const certPath = join(dir, SIGNING_CERT_FILE);

  let privateKeyPem = await readIfExists(keyPath);
  if (privateKeyPem === undefined) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    privateKeyPem = await writeKeyExclusive(
      keyPath,
      privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    );
  }
  let keyType: string | undefined;
  try {
    keyType = createPrivateKey(privateKeyPem).asymmetricKeyType;
  } catch (err) {
    throw new Error(`${keyPath}: not a PEM private key (${(err as Error).message})`);
  }
  if (keyType !== "rsa") throw new Error(`${keyPath}: an RSA private key is required, found ${keyType}`);

  let certificatePem = await readIfExists(certPath);
  if (certificatePem === undefined || !certificateFits(certificatePem, privateKeyPem, now)) {
    certificatePem = newSigningCertificate(privateKeyPem, now);
    await writeReplacing(certPath, certificatePem);
  }
  return { privateKeyPem, certificatePem, certificateId: certificateIdOf(certificatePem) };
}
