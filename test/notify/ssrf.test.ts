// The SSRF guard. Only 127.0.0.1 is ever connected to: every other address in these tables is judged from
// the URL alone (IP literals need no DNS), and the one hostname resolved is `localhost`.
import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  type AddressKind,
  addressAllowed,
  classifyAddress,
  type DestinationPolicy,
  InvalidParameterException,
  isLoopbackBindAddress,
  makeDestinationGuard,
  parseIp,
  type RefusalReason,
} from "../../src/notify/ssrf.js";

const PUBLIC_SERVER: DestinationPolicy = { serverBoundToLoopback: false, allowPrivate: false };
const LOOPBACK_SERVER: DestinationPolicy = { serverBoundToLoopback: true, allowPrivate: false };
const ALLOW_PRIVATE: DestinationPolicy = { serverBoundToLoopback: false, allowPrivate: true };

type Expect = "allow" | RefusalReason;

/** url, server reachable beyond loopback, server bound to loopback, allowPrivate */
const TABLE: [string, Expect, Expect, Expect][] = [
  ["http://127.0.0.1:8080/hook", "loopback", "allow", "allow"],
  ["http://127.1.2.3/", "loopback", "allow", "allow"],
  ["http://localhost:9/x", "loopback", "allow", "allow"], // resolved through DNS (/etc/hosts)
  ["http://user:secret@127.0.0.1/", "loopback", "allow", "allow"],
  ["http://[::1]:8080/", "loopback", "allow", "allow"],
  ["http://[::ffff:127.0.0.1]/", "loopback", "allow", "allow"],
  ["http://[::127.0.0.1]/", "loopback", "allow", "allow"], // deprecated IPv4-compatible form
  ["http://[2002:7f00:1::]/", "loopback", "allow", "allow"], // 6to4 around 127.0.0.1
  ["http://2130706433/", "loopback", "allow", "allow"], // decimal 127.0.0.1
  ["http://0x7f.1/", "loopback", "allow", "allow"], // hex + short form
  ["http://0x7f000001/", "loopback", "allow", "allow"],
  ["http://0177.0.0.1/", "loopback", "allow", "allow"], // octal
  ["http://127.0.0.1./", "loopback", "allow", "allow"], // trailing dot
  ["http://\uff11\uff12\uff17.0.0.1/", "loopback", "allow", "allow"], // full-width digits (IDNA maps them)
  ["http://[0:0:0:0:0:ffff:7f00:1]/", "loopback", "allow", "allow"],
  ["HTTP://LOCALHOST/", "loopback", "allow", "allow"],
  ["http://10.0.0.5/", "private", "private", "allow"],
  ["http://172.16.0.1/", "private", "private", "allow"],
  ["http://172.31.255.255/", "private", "private", "allow"],
  ["http://192.168.1.1/", "private", "private", "allow"],
  ["http://100.64.0.1/", "private", "private", "allow"], // CGNAT
  ["http://012.0.0.1/", "private", "private", "allow"], // octal 10.0.0.1
  ["http://[fd00::1]/", "private", "private", "allow"],
  ["http://[fc00::1]/", "private", "private", "allow"],
  ["http://[::ffff:10.0.0.1]/", "private", "private", "allow"],
  ["http://169.254.169.254/latest/meta-data/", "link-local", "link-local", "allow"],
  ["http://2852039166/latest/meta-data/", "link-local", "link-local", "allow"], // decimal 169.254.169.254
  ["http://[::ffff:169.254.169.254]/", "link-local", "link-local", "allow"],
  ["http://[::ffff:a9fe:a9fe]/", "link-local", "link-local", "allow"],
  ["http://[64:ff9b::a9fe:a9fe]/", "link-local", "link-local", "allow"], // NAT64 around 169.254.169.254
  ["http://[fe80::1]/", "link-local", "link-local", "allow"],
  ["http://0.0.0.0:8080/", "unspecified", "unspecified", "unspecified"],
  ["http://0/", "unspecified", "unspecified", "unspecified"],
  ["http://[::]/", "unspecified", "unspecified", "unspecified"],
  ["http://224.0.0.1/", "reserved", "reserved", "reserved"],
  ["http://255.255.255.255/", "reserved", "reserved", "reserved"],
  ["http://192.0.2.10/", "reserved", "reserved", "reserved"],
  ["http://[ff02::1]/", "reserved", "reserved", "reserved"],
  ["http://172.32.0.1/", "allow", "allow", "allow"],
  ["http://100.128.0.1/", "allow", "allow", "allow"],
  ["http://93.184.216.34/hook", "allow", "allow", "allow"],
  ["https://[2606:4700:4700::1111]/hook", "allow", "allow", "allow"],
  ["file:///etc/passwd", "scheme", "scheme", "scheme"],
  ["ftp://127.0.0.1/", "scheme", "scheme", "scheme"],
  ["ftp://93.184.216.34/", "scheme", "scheme", "scheme"],
  ["gopher://127.0.0.1:6379/_INFO", "scheme", "scheme", "scheme"],
  ["javascript:alert(1)", "scheme", "scheme", "scheme"],
  ["data:text/plain,hi", "scheme", "scheme", "scheme"],
  ["not a url", "invalid-url", "invalid-url", "invalid-url"],
  ["http://", "invalid-url", "invalid-url", "invalid-url"],
];

async function outcome(policy: DestinationPolicy, url: string): Promise<Expect> {
  try {
    await makeDestinationGuard(policy).check(url);
    return "allow";
  } catch (err) {
    assert.ok(err instanceof InvalidParameterException, `${url}: ${String(err)}`);
    assert.equal(err.name, "InvalidParameterException");
    assert.equal(err.code, "InvalidParameter");
    assert.match(err.message, /^Invalid parameter: (Unreachable )?Endpoint: /);
    return err.reason;
  }
}

describe("destination guard: the URL table", () => {
  for (const [url, beyondLoopback, boundToLoopback, allowPrivate] of TABLE) {
    test(url, async () => {
      assert.equal(await outcome(PUBLIC_SERVER, url), beyondLoopback, "server reachable beyond loopback");
      assert.equal(await outcome(LOOPBACK_SERVER, url), boundToLoopback, "server bound to loopback");
      assert.equal(await outcome(ALLOW_PRIVATE, url), allowPrivate, "allowPrivate");
    });
  }
});

describe("destination guard: details", () => {
  test("messages say what was refused and why, in SNS's words", async () => {
    const guard = makeDestinationGuard(PUBLIC_SERVER);
    await assert.rejects(guard.check("http://169.254.169.254/latest/meta-data/"), {
      name: "InvalidParameterException",
      message:
        "Invalid parameter: Unreachable Endpoint: 169.254.169.254 is a link-local address (not allowed by the server's webhook destination policy)",
    });
    await assert.rejects(guard.check("http://localhost:1/"), (err: Error) => {
      assert.match(
        err.message,
        /^Invalid parameter: Unreachable Endpoint: localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
      );
      return true;
    });
    await assert.rejects(guard.check("file:///etc/passwd"), {
      message: "Invalid parameter: Endpoint: the scheme file is not http or https",
    });
  });

  test("check returns the URL and the addresses it judged", async () => {
    const guard = makeDestinationGuard(LOOPBACK_SERVER);
    const literal = await guard.check("http://2130706433:8080/x");
    assert.equal(literal.url.href, "http://127.0.0.1:8080/x");
    assert.deepEqual(literal.addresses, ["127.0.0.1"]);
    const named = await guard.check("http://localhost/");
    assert.ok(named.addresses.length > 0);
    for (const a of named.addresses) assert.equal(classifyAddress(a), "loopback");
  });

  test("allowedHosts lets named hosts through whatever they resolve to, and nothing else", async () => {
    const guard = makeDestinationGuard({
      ...PUBLIC_SERVER,
      allowedHosts: ["LocalHost", "10.0.0.5", "[fd00::7]"],
    });
    await guard.check("http://localhost:8080/");
    await guard.check("http://10.0.0.5/");
    await guard.check("http://[fd00:0::7]/");
    await assert.rejects(guard.check("http://10.0.0.6/"), { reason: "private" });
    await assert.rejects(guard.check("http://127.0.0.1/"), { reason: "loopback" });
    await assert.rejects(guard.check("ftp://localhost/"), { reason: "scheme" });
  });
});

describe("connect-time lookup (DNS rebinding)", () => {
  let server: http.Server;
  let port = 0;
  let hits = 0;
  before(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const lookupAll = (policy: DestinationPolicy, host: string) =>
    new Promise<LookupAddress[]>((resolve, reject) =>
      makeDestinationGuard(policy).lookup(host, { all: true }, (err, addresses) =>
        err ? reject(err) : resolve(addresses as LookupAddress[]),
      ),
    );

  test("the lookup refuses what check refuses, and answers both lookup shapes", async () => {
    await assert.rejects(lookupAll(PUBLIC_SERVER, "localhost"), { name: "InvalidParameterException" });
    const all = await lookupAll(LOOPBACK_SERVER, "localhost");
    assert.ok(all.every((a) => classifyAddress(a.address) === "loopback"));
    const single = await new Promise<[string, number]>((resolve, reject) =>
      makeDestinationGuard(LOOPBACK_SERVER).lookup("localhost", { family: 4 }, (err, address, family) =>
        err ? reject(err) : resolve([address as string, family as number]),
      ),
    );
    assert.deepEqual(single, ["127.0.0.1", 4]);
  });

  test("a request whose name resolves to a refused address at connect time never reaches the server", async () => {
    // As if `localhost` had passed check() with a public address and then rebound to 127.0.0.1.
    const guard = makeDestinationGuard(PUBLIC_SERVER);
    const before = hits;
    const err = await new Promise<Error>((resolve, reject) => {
      const req = http.request(`http://localhost:${port}/`, {
        lookup: guard.lookup,
        agent: false,
        family: 4,
      });
      req.on("response", () => reject(new Error("the request went through")));
      req.on("error", resolve);
      req.end();
    });
    assert.equal(err.name, "InvalidParameterException");
    assert.equal(hits, before);

    const allowed = makeDestinationGuard(LOOPBACK_SERVER);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`http://localhost:${port}/`, {
        lookup: allowed.lookup,
        agent: false,
        family: 4,
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.equal(hits, before + 1);
  });
});

describe("address classification", () => {
  const KINDS: [string, AddressKind][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.255.255", "loopback"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["10.255.0.1", "private"],
    ["172.15.255.255", "public"],
    ["172.16.0.0", "private"],
    ["192.169.0.1", "public"],
    ["100.63.255.255", "public"],
    ["100.127.255.255", "private"],
    ["198.18.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["fec0::1", "private"],
    ["64:ff9b:1::1", "private"],
    ["169.254.0.1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["239.255.255.250", "reserved"],
    ["240.0.0.1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["2001:0:4136:e378::1", "reserved"], // Teredo
    ["100::1", "reserved"],
    ["ff05::2", "reserved"],
    ["8.8.8.8", "public"],
    ["2a00:1450::1", "public"],
    ["64:ff9b::808:808", "public"], // NAT64 around 8.8.8.8
    ["2002:808:808::1", "public"], // 6to4 around 8.8.8.8
  ];
  for (const [ip, kind] of KINDS) {
    test(`${ip} is ${kind}`, () => assert.equal(classifyAddress(ip), kind));
  }

  test("parseIp handles the IPv6 spellings", () => {
    const hex = (s: string) => Buffer.from(parseIp(s)?.bytes ?? []).toString("hex");
    assert.equal(hex("::ffff:1.2.3.4"), "00000000000000000000ffff01020304");
    assert.equal(hex("1:2:3:4:5:6:7.8.9.10"), "0001000200030004000500060708090a");
    assert.equal(hex("::1.2.3.4"), "00000000000000000000000001020304");
    assert.equal(hex("1::"), "00010000000000000000000000000000");
    assert.equal(hex("[fe80::1%25eth0]".replace("%25", "%")), "fe800000000000000000000000000001");
    assert.equal(parseIp("localhost"), undefined);
    assert.equal(parseIp("1.2.3"), undefined);
    assert.throws(() => classifyAddress("example.com"), TypeError);
  });

  test("policies", () => {
    assert.equal(addressAllowed("loopback", LOOPBACK_SERVER), true);
    assert.equal(addressAllowed("link-local", LOOPBACK_SERVER), false);
    assert.equal(addressAllowed("loopback", ALLOW_PRIVATE), true);
    assert.equal(addressAllowed("unspecified", { serverBoundToLoopback: true, allowPrivate: true }), false);
  });

  test("isLoopbackBindAddress", () => {
    for (const h of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST", "api.localhost"]) {
      assert.equal(isLoopbackBindAddress(h), true, h);
    }
    for (const h of ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.com", ""]) {
      assert.equal(isLoopbackBindAddress(h), false, h);
    }
  });
});
