/**
 * The 44 requests captured from real clients (../shared/wire): each is routed to the right service and
 * operation, decodes to the input its client meant (the same input whatever protocol carried it), and its
 * SigV4 signature verifies with secret `secret` and with no other.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { authenticate } from "../../src/api/auth/authenticate.js";
import type { AuthConfig } from "../../src/api/auth/config.js";
import { parseAwsRequest } from "../../src/api/handle.js";
import type { RouteInput } from "../../src/api/protocols/route.js";
import type { WireError } from "../../src/api/wire/wire-error.js";

const CAPTURES = new URL("../../../shared/wire/captured-requests.jsonl", import.meta.url);

interface Capture {
  client: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body_b64: string;
}

const captures: Capture[] = existsSync(CAPTURES)
  ? readFileSync(CAPTURES, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
  : [];

function requestOf(c: Capture): RouteInput {
  const q = c.url.indexOf("?");
  return {
    method: c.method,
    path: q < 0 ? c.url : c.url.slice(0, q),
    query: q < 0 ? "" : c.url.slice(q + 1),
    headers: c.headers,
    body: Buffer.from(c.body_b64, "base64"),
  };
}

const keys = (secret: string): AuthConfig => ({
  keys: new Map([["AKIDEXAMPLE", { accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, readOnly: false }]]),
});
/** The captures were signed on 2026-11-28 around 00:23Z: the verifier's clock is set into that window. */
const signedAt = (c: Capture) =>
  Date.parse(
    c.headers["x-amz-date"].replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
const scopeOf = (c: Capture) =>
  (/\/([a-z]+)\/aws4_request/.exec(c.headers.authorization) as RegExpExecArray)[1];

const T0 = new Date(1_700_000_000_000);
const T1 = new Date(1_700_003_600_000);
/** What each operation's capture must decode to (members every client sent). */
const EXPECTED: Record<string, Record<string, unknown>> = {
  CreateLogGroup: { logGroupName: "CloudTrail/logs" },
  TestMetricFilter: {
    filterPattern: '{ $.eventName = "ConsoleLogin" }',
    logEventMessages: ['{"eventName":"ConsoleLogin"}', "plain text"],
  },
  PutMetricAlarm: {
    AlarmName: "root-usage",
    AlarmActions: ["arn:aws:sns:us-east-1:000000000000:t1"],
    MetricName: "RootAccountUsageCount",
    Namespace: "CloudTrailMetrics",
    Statistic: "Sum",
    Dimensions: [{ Name: "User", Value: "x" }],
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
  },
  DescribeAlarms: { AlarmNames: ["root-usage"] },
  GetMetricData: {
    MetricDataQueries: [
      {
        Id: "m1",
        MetricStat: {
          Metric: { Namespace: "CloudTrailMetrics", MetricName: "RootAccountUsageCount" },
          Period: 300,
          Stat: "Sum",
        },
      },
    ],
    StartTime: T0,
    EndTime: T1,
  },
  GetMetricStatistics: {
    Namespace: "CloudTrailMetrics",
    MetricName: "RootAccountUsageCount",
    StartTime: T0,
    EndTime: T1,
    Period: 300,
    Statistics: ["Sum"],
  },
  CreateTopic: { Name: "t1" },
  Subscribe: {
    TopicArn: "arn:aws:sns:us-east-1:000000000000:t1",
    Protocol: "email",
    Endpoint: "ops@example.com",
  },
  ConfirmSubscription: { TopicArn: "arn:aws:sns:us-east-1:000000000000:t1", Token: "tok123" },
  Publish: { TopicArn: "arn:aws:sns:us-east-1:000000000000:t1", Message: "hello" },
};

const SERVICE_OF_SCOPE: Record<string, string> = { logs: "logs", monitoring: "cloudwatch", sns: "sns" };

describe("captured requests", { skip: captures.length === 0 && "../shared/wire is absent" }, () => {
  test("there are 44 of them, from 5 client set-ups", () => {
    assert.equal(captures.length, 44);
    assert.equal(new Set(captures.map((c) => c.client)).size, 5);
  });

  test("each is routed to its service and operation and decodes to its input", () => {
    for (const c of captures) {
      const parsed = parseAwsRequest(requestOf(c));
      const what = `${c.client} ${c.headers["x-amz-target"] ?? c.url}`;
      assert.equal(parsed.error, undefined, `${what}: ${parsed.error?.message}`);
      assert.equal(parsed.route.service, SERVICE_OF_SCOPE[scopeOf(c)], what);
      const op = parsed.route.operation as string;
      const input = parsed.input as Record<string, unknown>;
      if (EXPECTED[op]) {
        for (const [k, v] of Object.entries(EXPECTED[op]))
          assert.deepEqual(input[k], v, `${what}: ${op}.${k}`);
      } else {
        assert.ok(["PutMetricFilter", "PutLogEvents"].includes(op), `unexpected operation ${op}`);
      }
      if (op === "PutMetricFilter") {
        assert.equal((input.metricTransformations as { defaultValue: number }[])[0].defaultValue, 0);
      }
      if (op === "PutLogEvents") {
        assert.equal((input.logEvents as { timestamp: number }[])[0].timestamp, 1_700_000_000_000);
      }
    }
  });

  test("one CloudWatch request decodes to the same input in awsJson1_0, awsQuery and rpc-v2-cbor", () => {
    const byProtocol = (client: string, op: string) => {
      const c = captures.find(
        (x) =>
          x.client === client &&
          (x.headers["x-amz-target"]?.endsWith(`.${op}`) ||
            x.url.endsWith(`/${op}`) ||
            Buffer.from(x.body_b64, "base64").toString().startsWith(`Action=${op}&`)),
      ) as Capture;
      return parseAwsRequest(requestOf(c));
    };
    for (const op of ["PutMetricAlarm", "DescribeAlarms", "GetMetricData", "GetMetricStatistics"]) {
      const json = byProtocol("js-sdk(default)", op);
      const query = byProtocol("js-sdk(protocol=AwsQueryProtocol)", op);
      const cbor = byProtocol("js-sdk(protocol=AwsSmithyRpcV2CborProtocol)", op);
      assert.equal(json.route.protocol, "awsJson1_0");
      assert.equal(query.route.protocol, "awsQuery");
      assert.equal(cbor.route.protocol, "rpcv2Cbor");
      assert.deepEqual(query.input, json.input, `${op}: query vs JSON`);
      assert.deepEqual(cbor.input, json.input, `${op}: CBOR vs JSON`);
    }
  });

  test("SNS query members: maps by entry, tags by member, booleans", () => {
    const js = captures
      .filter((c) => c.client === "js-sdk(default)")
      .map((c) => parseAwsRequest(requestOf(c)));
    const input = (op: string) => js.find((p) => p.route.operation === op)?.input as Record<string, unknown>;
    assert.deepEqual(input("CreateTopic").Attributes, { DisplayName: "Alarms" });
    assert.deepEqual(input("CreateTopic").Tags, [{ Key: "env", Value: "dev" }]);
    assert.equal(input("Subscribe").ReturnSubscriptionArn, true);
    assert.deepEqual(input("Publish").MessageAttributes, {
      sev: { DataType: "String", StringValue: "high" },
    });
    assert.equal(input("Publish").Subject, "ALARM: root-usage");
  });

  test("every signature verifies with secret `secret`, and none with another secret", () => {
    for (const c of captures) {
      const options = (secret: string, now = signedAt(c)) => ({
        config: keys(secret),
        service: scopeOf(c),
        now: () => now,
      });
      const principal = authenticate(requestOf(c), options("secret"));
      assert.equal(principal.accessKeyId, "AKIDEXAMPLE");
      assert.equal(principal.authenticated, true);
      for (const wrong of ["secreT", "secret ", ""]) {
        assert.throws(
          () => authenticate(requestOf(c), options(wrong)),
          (e: WireError) => e.type === "InvalidSignatureException" && e.code === "SignatureDoesNotMatch",
          `${c.client}: accepted with secret '${wrong}'`,
        );
      }
    }
  });

  test("a recorded request is refused outside AWS's 5-minute window, on both sides", () => {
    const c = captures[0];
    const at = signedAt(c);
    const check = (now: number) =>
      authenticate(requestOf(c), { config: keys("secret"), service: "logs", now: () => now });
    check(at + 5 * 60_000);
    check(at - 5 * 60_000);
    assert.throws(
      () => check(at + 5 * 60_000 + 1000),
      /^InvalidSignatureException: Signature expired: 20261128T002330Z is now earlier than 20261128T002331Z \(20261128T002831Z - 5 min\.\)$/,
    );
    assert.throws(
      () => check(at - 5 * 60_000 - 1000),
      /Signature not yet current: 20261128T002330Z is still later than/,
    );
  });

  test("a tampered body, header or path fails the signature", () => {
    const c = captures.find((x) => x.headers["x-amz-target"] === "Logs_20140328.CreateLogGroup") as Capture;
    const options = { config: keys("secret"), service: "logs", now: () => signedAt(c) };
    const base = requestOf(c);
    authenticate(base, options);
    const tampered: RouteInput[] = [
      { ...base, body: Buffer.from('{"logGroupName":"CloudTrail/other"}') },
      { ...base, headers: { ...base.headers, "x-amz-target": "Logs_20140328.DeleteLogGroup" } },
      { ...base, headers: { ...base.headers, host: "evil.example:4599" } },
      { ...base, path: "/x" },
      { ...base, query: "a=b" },
    ];
    for (const t of tampered) assert.throws(() => authenticate(t, options), /does not match the signature/);
  });

  test("an unknown key, a wrong service scope and malformed headers get AWS's codes", () => {
    const c = captures[0];
    const req = requestOf(c);
    const base = { config: keys("secret"), service: "logs", now: () => signedAt(c) };
    const code = (r: RouteInput, o = base) => {
      try {
        authenticate(r, o);
        return "accepted";
      } catch (e) {
        return `${(e as WireError).type}/${(e as WireError).code}`;
      }
    };
    const other: AuthConfig = {
      keys: new Map([
        ["AKIAOTHER", { accessKeyId: "AKIAOTHER", secretAccessKey: "secret", readOnly: false }],
      ]),
    };
    assert.equal(code(req, { ...base, config: other }), "UnrecognizedClientException/InvalidClientTokenId");
    assert.equal(
      code(req, { ...base, service: "monitoring" }),
      "InvalidSignatureException/SignatureDoesNotMatch",
    );
    const { authorization: _, ...unsigned } = req.headers;
    assert.equal(
      code({ ...req, headers: unsigned }),
      "MissingAuthenticationTokenException/MissingAuthenticationToken",
    );
    for (const bad of [
      "AWS4-HMAC-SHA256 Credential=x",
      "Basic dXNlcjpwYXNz",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2026/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00",
    ]) {
      assert.equal(
        code({ ...req, headers: { ...req.headers, authorization: bad } }),
        "IncompleteSignatureException/IncompleteSignature",
        bad,
      );
    }
    // Open mode (no keys): any well-formed signature passes, even with a wrong secret and an old date.
    assert.equal(code(req, { ...base, config: { keys: new Map() }, now: () => Date.now() }), "accepted");
  });
});
