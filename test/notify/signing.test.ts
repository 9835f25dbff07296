import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, verify as rsaVerify, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { oid, time, unsignedInteger } from "../../src/notify/signing/der.js";
import {
  createSelfSignedCertificate,
  createSigningIdentity,
  loadOrCreateSigningIdentity,
  newSigningCertificate,
  SIGNING_CERT_FILE,
  SIGNING_KEY_FILE,
  type SignableMessage,
  type SigningIdentity,
  sign,
  signingCertPath,
  signingCertUrl,
  stringToSign,
  verify,
} from "../../src/notify/signing/index.js";

describe("DER", () => {
  test("OIDs, integers and times encode as X.690 says", () => {
    assert.equal(oid("1.2.840.113549.1.1.11").toString("hex"), "06092a864886f70d01010b");
    assert.equal(oid("2.5.4.3").toString("hex"), "0603550403");
    assert.equal(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])).toString("hex"), "02017f");
    assert.equal(unsignedInteger(Buffer.from([0x80])).toString("hex"), "02020080");
    assert.equal(unsignedInteger(Buffer.alloc(0)).toString("hex"), "020100");
    assert.equal(time(new Date("2036-11-25T02:03:04Z")).toString("latin1").slice(2), "361125020304Z");
    assert.equal(time(new Date("2036-11-25T02:03:04Z"))[0], 0x17); // UTCTime
    assert.equal(time(new Date("2050-01-01T00:00:00Z")).toString("latin1").slice(2), "20500101000000Z");
    assert.equal(time(new Date("2050-01-01T00:00:00Z"))[0], 0x18); // GeneralizedTime
  });
});

describe("self-signed certificate", () => {
  let identity: SigningIdentity;
  before(() => {
    identity = createSigningIdentity(new Date("2026-11-28T12:00:00Z"));
  });

  test("parses with X509Certificate and verifies with its own key", () => {
    const cert = new X509Certificate(identity.certificatePem);
    assert.equal(cert.subject, "CN=trailwatch SNS signing");
    assert.equal(cert.issuer, "CN=trailwatch SNS signing");
    assert.equal(cert.verify(cert.publicKey), true);
    assert.equal(cert.ca, false);
    assert.equal(cert.publicKey.asymmetricKeyType, "rsa");
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(new Date(cert.validFrom).toISOString(), "2026-11-28T11:55:00.000Z");
    assert.equal(new Date(cert.validTo).toISOString(), "2036-11-25T11:55:00.000Z");
    assert.match(cert.serialNumber, /^[0-9A-F]{32}$/);
  });

  test("carries basicConstraints CA:false and keyUsage digitalSignature, both critical", () => {
    const der = new X509Certificate(identity.certificatePem).raw;
    // Extension basicConstraints: SEQUENCE { OID 2.5.29.19, BOOLEAN TRUE, OCTET STRING { SEQUENCE {} } }
    assert.ok(der.includes(Buffer.from("300c0603551d130101ff04023000", "hex")));
    // Extension keyUsage: SEQUENCE { OID 2.5.29.15, BOOLEAN TRUE, OCTET STRING { BIT STRING 07 80 } }
    assert.ok(der.includes(Buffer.from("300e0603551d0f0101ff040403020780", "hex")));
    // Signature algorithm sha256WithRSAEncryption with NULL parameters, twice (TBS and outer).
    const alg = Buffer.from("300d06092a864886f70d01010b0500", "hex");
    assert.equal(der.indexOf(alg) !== der.lastIndexOf(alg), true);
  });

  test("a second certificate for the same key differs only in serial and signature", () => {
    const again = new X509Certificate(newSigningCertificate(identity.privateKeyPem));
    const first = new X509Certificate(identity.certificatePem);
    assert.notEqual(again.serialNumber, first.serialNumber);
    assert.equal(
      again.publicKey.export({ type: "spki", format: "pem" }),
      first.publicKey.export({ type: "spki", format: "pem" }),
    );
  });

  test("the TLS flavour: SANs and extended key usage", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { pem } = createSelfSignedCertificate({
      privateKey,
      publicKey,
      commonName: "localhost",
      keyUsage: ["digitalSignature", "keyEncipherment"],
      extendedKeyUsage: ["serverAuth"],
      subjectAltNames: { dns: ["localhost"], ip: ["127.0.0.1", "::1"] },
    });
    const cert = new X509Certificate(pem);
    assert.equal(cert.subjectAltName, "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    assert.equal(cert.checkIP("127.0.0.1"), "127.0.0.1");
    assert.deepEqual(cert.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
    assert.equal(cert.verify(publicKey), true);
  });

  test("the certificate id is 32 hex digits of the certificate's SHA-256, and names the URL path", () => {
    const der = new X509Certificate(identity.certificatePem).raw;
    assert.equal(identity.certificateId, createHash("sha256").update(der).digest("hex").slice(0, 32));
    assert.equal(signingCertPath(identity), `/SimpleNotificationService-${identity.certificateId}.pem`);
    assert.equal(
      signingCertUrl("http://127.0.0.1:4566/", identity),
      `http://127.0.0.1:4566/SimpleNotificationService-${identity.certificateId}.pem`,
    );
    assert.equal(
      signingCertUrl("https://tw.example/prefix", identity),
      `https://tw.example/prefix/SimpleNotificationService-${identity.certificateId}.pem`,
    );
  });
});

describe("loadOrCreateSigningIdentity", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "trailwatch-signing-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("creates the key (0600) and the certificate once, then loads the same identity", async () => {
    const sub = join(dir, "fresh", "nested");
    const first = await loadOrCreateSigningIdentity(sub);
    const keyStat = await stat(join(sub, SIGNING_KEY_FILE));
    assert.equal(keyStat.mode & 0o777, 0o600);
    assert.equal((await stat(sub)).mode & 0o077, 0);
    assert.equal(await readFile(join(sub, SIGNING_KEY_FILE), "utf8"), first.privateKeyPem);
    assert.equal(await readFile(join(sub, SIGNING_CERT_FILE), "utf8"), first.certificatePem);
    assert.match(first.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(first.certificateId, /^[0-9a-f]{32}$/);

    const second = await loadOrCreateSigningIdentity(sub);
    assert.deepEqual(second, first);
  });

  test("two concurrent starts agree on one key", async () => {
    const sub = join(dir, "race");
    const [a, b] = await Promise.all([loadOrCreateSigningIdentity(sub), loadOrCreateSigningIdentity(sub)]);
    assert.equal(a.privateKeyPem, b.privateKeyPem);
    const x = new X509Certificate(a.certificatePem);
    const y = new X509Certificate(b.certificatePem);
    assert.equal(x.checkPrivateKey(await keyOf(sub)), true);
    assert.equal(y.checkPrivateKey(await keyOf(sub)), true);
  });

  test("replaces a missing, mismatched or nearly expired certificate, keeping the key", async () => {
    const sub = join(dir, "renew");
    const original = await loadOrCreateSigningIdentity(sub);

    await rm(join(sub, SIGNING_CERT_FILE));
    const recreated = await loadOrCreateSigningIdentity(sub);
    assert.equal(recreated.privateKeyPem, original.privateKeyPem);
    assert.notEqual(recreated.certificateId, original.certificateId);

    await writeFile(join(sub, SIGNING_CERT_FILE), createSigningIdentity().certificatePem); // another key's
    const fixed = await loadOrCreateSigningIdentity(sub);
    assert.equal(new X509Certificate(fixed.certificatePem).checkPrivateKey(await keyOf(sub)), true);

    const nearEnd = new Date(Date.now() + 3640 * 86_400_000); // 10 days before notAfter
    const renewed = await loadOrCreateSigningIdentity(sub, nearEnd);
    assert.notEqual(renewed.certificateId, fixed.certificateId);
    assert.equal(renewed.privateKeyPem, original.privateKeyPem);
  });

  test("refuses a key file that is not an RSA private key and leaves it alone", async () => {
    const sub = join(dir, "bad");
    await loadOrCreateSigningIdentity(sub);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    await writeFile(join(sub, SIGNING_KEY_FILE), ec);
    await assert.rejects(loadOrCreateSigningIdentity(sub), /an RSA private key is required, found ec/);
    assert.equal(await readFile(join(sub, SIGNING_KEY_FILE), "utf8"), ec);
    await writeFile(join(sub, SIGNING_KEY_FILE), "garbage");
    await assert.rejects(loadOrCreateSigningIdentity(sub), /not a PEM private key/);
  });
});

async function keyOf(dir: string) {
  const { createPrivateKey } = await import("node:crypto");
  return createPrivateKey(await readFile(join(dir, SIGNING_KEY_FILE), "utf8"));
}

describe("stringToSign", () => {
  const notification: SignableMessage = {
    Type: "Notification",
    MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    TopicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
    Subject: "My First Message",
    Message: "Hello world!",
    Timestamp: "2012-05-02T00:54:06.655Z",
  };

  test("Notification: Message, MessageId, Subject, Timestamp, TopicArn, Type", () => {
    assert.equal(
      stringToSign(notification),
      "Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\n" +
        "Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n",
    );
  });

  test("Notification without Subject leaves the key out", () => {
    const { Subject: _, ...rest } = notification;
    assert.equal(stringToSign(rest).includes("Subject"), false);
    assert.ok(stringToSign(rest).startsWith("Message\nHello world!\nMessageId\n"));
  });

  test("confirmations: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type", () => {
    for (const Type of ["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const) {
      const s = stringToSign({
        Type,
        MessageId: "m",
        Token: "t",
        TopicArn: "arn",
        Message: "msg",
        SubscribeURL: "http://x/?a=b",
        Timestamp: "2012-04-26T20:45:04.751Z",
        Subject: "ignored for confirmations",
      });
      assert.equal(
        s,
        `Message\nmsg\nMessageId\nm\nSubscribeURL\nhttp://x/?a=b\nTimestamp\n2012-04-26T20:45:04.751Z\nToken\nt\nTopicArn\narn\nType\n${Type}\n`,
      );
    }
  });

  test("a confirmation without Token or SubscribeURL is an error, not a weaker signature", () => {
    assert.throws(
      () =>
        stringToSign({
          Type: "SubscriptionConfirmation",
          MessageId: "m",
          TopicArn: "a",
          Message: "x",
          Timestamp: "t",
        }),
      /SubscriptionConfirmation without SubscribeURL/,
    );
  });
});

describe("sign and verify", () => {
  const identity = createSigningIdentity();
  const message: SignableMessage = {
    Type: "Notification",
    MessageId: "5f8d2a5c-0b0e-4c1e-9a4e-3f1b2c3d4e5f",
    TopicArn: "arn:aws:sns:eu-west-1:123456789012:alarms",
    Subject: 'ALARM: "root-login" in EU (Ireland)',
    Message: '{"AlarmName":"root-login","NewStateValue":"ALARM","é":"ü ✓ 𝄞"}',
    Timestamp: "2026-11-28T02:30:55.297Z",
  };

  for (const version of ["1", "2"] as const) {
    test(`SignatureVersion ${version} verifies with node's crypto.verify and the certificate's key`, () => {
      const signature = sign(message, identity, version);
      const publicKey = new X509Certificate(identity.certificatePem).publicKey;
      const digest = version === "1" ? "sha1" : "sha256";
      assert.equal(
        rsaVerify(digest, Buffer.from(stringToSign(message)), publicKey, Buffer.from(signature, "base64")),
        true,
      );
      assert.equal(
        verify({ ...message, SignatureVersion: version, Signature: signature }, identity.certificatePem),
        true,
      );
      assert.equal(Buffer.from(signature, "base64").length, 256);
    });
  }

  test("the default version is 2 (SHA256withRSA)", () => {
    const signature = sign(message, identity);
    assert.equal(
      verify({ ...message, SignatureVersion: "2", Signature: signature }, identity.certificatePem),
      true,
    );
    assert.equal(
      verify({ ...message, SignatureVersion: "1", Signature: signature }, identity.certificatePem),
      false,
    );
  });

  test("tampering with any signed field, or another certificate, fails", () => {
    const Signature = sign(message, identity, "2");
    const good = { ...message, SignatureVersion: "2", Signature };
    assert.equal(verify({ ...good, Message: `${message.Message} ` }, identity.certificatePem), false);
    assert.equal(verify({ ...good, Subject: undefined }, identity.certificatePem), false);
    assert.equal(verify({ ...good, Timestamp: "2026-11-28T02:30:55.298Z" }, identity.certificatePem), false);
    assert.equal(verify({ ...good, Type: "SubscriptionConfirmation" }, identity.certificatePem), false);
    assert.equal(verify({ ...good, SignatureVersion: "3" }, identity.certificatePem), false);
    assert.equal(verify(good, createSigningIdentity().certificatePem), false);
    assert.equal(verify(good, identity.certificatePem), true);
  });

  test("an unknown version is refused when signing", () => {
    assert.throws(() => sign(message, identity, "3" as "2"), /unsupported SignatureVersion 3/);
  });
});
