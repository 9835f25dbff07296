/**
 * SNS message signatures (SNS-SIG): the canonical string to sign and SHA1withRSA (`SignatureVersion` 1) or
 * SHA256withRSA (`SignatureVersion` 2) over it, Base64. The string is `key\nvalue\n` for each signed key in
 * byte order:
 *
 * - Notification: `Message, MessageId, Subject` (only if present), `Timestamp, TopicArn, Type`;
 * - SubscriptionConfirmation and UnsubscribeConfirmation: `Message, MessageId, SubscribeURL, Timestamp, Token,
 *   TopicArn, Type`.
 *
 * Values are signed as they are (the decoded JSON strings, not their escaped form), encoded as UTF-8.
 */
import {
  createPrivateKey,
  type KeyObject,
  sign as rsaSign,
  verify as rsaVerify,
  X509Certificate,
} from "node:crypto";
import type { SigningIdentity } from "./identity.js";

export type SnsMessageType = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";
export type SignatureVersion = "1" | "2";

/** The fields a signature covers. */
export interface SignableMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

export interface SignedFields {
  SignatureVersion: string;
  Signature: string;
}

const NOTIFICATION_KEYS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const CONFIRMATION_KEYS = [
  "Message",
  "MessageId",
  "SubscribeURL",
  "Timestamp",
  "Token",
  "TopicArn",
  "Type",
] as const;

/** The canonical string AWS signs. Throws a TypeError when a key the type requires is missing. */
export function stringToSign(message: SignableMessage): string {
  let keys: readonly (keyof SignableMessage)[];
  if (message.Type === "Notification") keys = NOTIFICATION_KEYS;
  else if (message.Type === "SubscriptionConfirmation" || message.Type === "UnsubscribeConfirmation") {
    keys = CONFIRMATION_KEYS;
  } else {
    throw new TypeError(`stringToSign: unknown message Type ${String((message as { Type?: unknown }).Type)}`);
  }
  let out = "";
  for (const key of keys) {
    const value = message[key];
    if (value === undefined || value === null) {
      if (key === "Subject") continue;
      throw new TypeError(`stringToSign: ${message.Type} without ${key}`);
    }
    out += `${key}\n${value}\n`;
  }
  return out;
}

function digestFor(version: string): "sha1" | "sha256" | undefined {
  if (version === "1") return "sha1";
  if (version === "2") return "sha256";
  return undefined;
}

const keyCache = new WeakMap<object, KeyObject>();

function privateKeyOf(identity: Pick<SigningIdentity, "privateKeyPem">): KeyObject {
  let key = keyCache.get(identity);
  if (!key) {
    key = createPrivateKey(identity.privateKeyPem);
    keyCache.set(identity, key);
  }
  return key;
}

/** The Base64 `Signature` for `message`: SHA1withRSA for version 1, SHA256withRSA for 2 (the default). */
export function sign(
  message: SignableMessage,
  identity: Pick<SigningIdentity, "privateKeyPem">,
  version: SignatureVersion = "2",
): string {
  const digest = digestFor(version);
  if (!digest) throw new TypeError(`sign: unsupported SignatureVersion ${version}`);
  return rsaSign(digest, Buffer.from(stringToSign(message), "utf8"), privateKeyOf(identity)).toString(
    "base64",
  );
}

/**
 * Verifies `message.Signature` against the certificate's public key, the way a subscriber does. False for
 * a bad signature, an unknown `SignatureVersion` or a message missing signed keys; never throws for those.
 */
export function verify(
  message: SignableMessage & SignedFields,
  certificatePem: string | X509Certificate,
): boolean {
  const digest = digestFor(message.SignatureVersion);
  if (!digest || typeof message.Signature !== "string") return false;
  let data: string;
  try {
    data = stringToSign(message);
  } catch {
    return false;
  }
  const cert = typeof certificatePem === "string" ? new X509Certificate(certificatePem) : certificatePem;
  return rsaVerify(
    digest,
    Buffer.from(data, "utf8"),
    cert.publicKey,
    Buffer.from(message.Signature, "base64"),
  );
}
