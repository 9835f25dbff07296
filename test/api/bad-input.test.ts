/**
 * Bad requests on every input path — malformed JSON, CBOR and form bodies, wrong content types, missing or
 * unknown targets and actions, oversized bodies, members of the wrong type — each answered with an error in the
 * protocol's own shape, and the server still answering afterwards. The server runs in open mode (no keys,
 * loopback), so a well-formed signature with any secret passes and these requests reach the decoders.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Decoder, Encoder } from "cbor-x";
import { type ApiServer, startApiServer } from "./helpers.js";

const cborDecoder = new Decoder({ mapsAsObjects: true, useRecords: false });
const cborEncoder = new Encoder({ useRecords: false, mapsAsObjects: true });

const AMZ_DATE = "20260101T000000Z";
const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

let server: ApiServer;
before(async () => {
  server = await startApiServer({ auth: { keys: new Map() } });
});
after(() => server.close());

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

async function send(
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
  service: string,
  method = "POST",
): Promise<Raw> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { "x-amz-date": AMZ_DATE, authorization: auth(service), ...headers },
    body: method === "GET" ? undefined : body,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: bytes.toString("utf8"), bytes };
}

const logs = (
  target: string | undefined,
  body: string | Buffer,
  contentType = "application/x-amz-json-1.1",
) =>
  send(
    "/",
    { "content-type": contentType, ...(target ? { "x-amz-target": `Logs_20140328.${target}` } : {}) },
    body,
    "logs",
  );
const cwJson = (op: string, body: string) =>
  send(
    "/",
    {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `GraniteServiceVersion20100801.${op}`,
      "x-amzn-query-mode": "true",
    },
    body,
    "monitoring",
  );
const cbor = (op: string, body: Buffer, headers: Record<string, string> = {}) =>
  send(
    `/service/GraniteServiceVersion20100801/operation/${op}`,
    {
      "content-type": "application/cbor",
      accept: "application/cbor",
      "smithy-protocol": "rpc-v2-cbor",
      ...headers,
    },
    body,
    "monitoring",
  );
const query = (
  body: string,
  service = "sns",
  contentType = "application/x-www-form-urlencoded; charset=utf-8",
) => send("/", { "content-type": contentType }, body, service);

function jsonError(r: Raw) {
  return JSON.parse(r.text) as { __type: string; message: string };
}
function xmlCode(r: Raw) {
  assert.match(r.headers.get("content-type") ?? "", /xml/);
  assert.match(
    r.text,
    /^<ErrorResponse xmlns="http:\/\/(sns|monitoring)\.amazonaws\.com\/doc\/\d{4}-\d{2}-\d{2}\/"><Error><Type>Sender<\/Type>/,
  );
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(r.text)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(r.text)?.[1],
  };
}

/** The server still works: a valid request of each protocol family succeeds. */
async function stillUp() {
  const ok = await logs("DescribeLogGroups", "{}");
  assert.equal(ok.status, 200, ok.text);
  const q = await query("Action=ListTopics&Version=2010-03-31");
  assert.equal(q.status, 200, q.text);
}

describe("bad input: CloudWatch Logs (awsJson1_1)", () => {
  const cases: [string, () => Promise<Raw>, number, string, RegExp?][] = [
    [
      "malformed JSON",
      () => logs("CreateLogGroup", '{"logGroupName":'),
      400,
      "SerializationException",
      /not valid JSON/,
    ],
    ["a JSON array", () => logs("CreateLogGroup", "[1,2]"), 400, "SerializationException", /JSON object/],
    [
      "a number where a string belongs",
      () => logs("CreateLogGroup", '{"logGroupName":5}'),
      400,
      "SerializationException",
      /Expected string for 'logGroupName', got number/,
    ],
    [
      "a string where a list belongs",
      () => logs("PutLogEvents", '{"logGroupName":"g","logStreamName":"s","logEvents":"x"}'),
      400,
      "SerializationException",
      /Expected list for 'logEvents'/,
    ],
    [
      "a string timestamp",
      () =>
        logs(
          "PutLogEvents",
          '{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":"now","message":"m"}]}',
        ),
      400,
      "SerializationException",
      /logEvents\[0\]\.timestamp/,
    ],
    ["no x-amz-target", () => logs(undefined, "{}"), 400, "UnknownOperationException"],
    [
      "an unknown operation",
      () => logs("DescribeEverything", "{}"),
      400,
      "UnknownOperationException",
      /DescribeEverything/,
    ],
    [
      "a form content type",
      () => logs("DescribeLogGroups", "{}", "application/x-www-form-urlencoded"),
      415,
      "UnsupportedMediaTypeException",
    ],
    [
      "an empty log group name",
      () => logs("CreateLogGroup", '{"logGroupName":""}'),
      400,
      "InvalidParameterException",
      /^1 validation error detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    ],
    [
      "a limit over 50",
      () => logs("DescribeLogGroups", '{"limit":51}'),
      400,
      "InvalidParameterException",
      /^1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50$/,
    ],
    [
      "a bad nextToken",
      () => logs("DescribeLogGroups", '{"nextToken":"garbage!"}'),
      400,
      "InvalidParameterException",
      /nextToken is invalid/,
    ],
    [
      "a missing group",
      () => logs("DescribeLogStreams", '{"logGroupName":"nope"}'),
      400,
      "ResourceNotFoundException",
      /log group does not exist/,
    ],
    [
      "a bad filter pattern",
      () => logs("TestMetricFilter", '{"filterPattern":"{ $.a = ","logEventMessages":["x"]}'),
      400,
      "InvalidParameterException",
    ],
  ];
  for (const [name, run, status, type, message] of cases) {
    test(name, async () => {
      const r = await run();
      assert.equal(r.status, status, r.text);
      assert.equal(r.headers.get("content-type"), "application/x-amz-json-1.1");
      assert.equal(r.headers.get("x-amzn-query-error"), null);
      const e = jsonError(r);
      assert.equal(e.__type, type);
      if (message) assert.match(e.message, message);
      await stillUp();
    });
  }

  test("a body over the 4 MiB limit", async () => {
    const big = `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"${"x".repeat(4 * 1024 * 1024)}"}]}`;
    const r = await logs("PutLogEvents", big);
    assert.equal(r.status, 413);
    assert.equal(jsonError(r).__type, "RequestEntityTooLargeException");
    assert.match(jsonError(r).message, /^Request size \d+ exceeded 4194304 bytes$/);
    await stillUp();
  });
});

describe("bad input: CloudWatch (awsJson1_0, query-compatible)", () => {
  test("malformed JSON, wrong types, unknown operations carry x-amzn-query-error", async () => {
    const cases: [Raw, number, string, string][] = [
      [await cwJson("PutMetricAlarm", "{"), 400, "SerializationException", "SerializationException;Sender"],
      [
        await cwJson("PutMetricAlarm", '{"AlarmName":"a","Period":"abc"}'),
        400,
        "SerializationException",
        "SerializationException;Sender",
      ],
      [
        await cwJson("DescribeAlarms", '{"MaxRecords":1.5}'),
        400,
        "SerializationException",
        "SerializationException;Sender",
      ],
      [await cwJson("Frobnicate", "{}"), 400, "UnknownOperationException", "InvalidAction;Sender"],
      [
        await cwJson("SetAlarmState", '{"AlarmName":"none","StateValue":"OK","StateReason":"x"}'),
        404,
        "ResourceNotFound",
        "ResourceNotFound;Sender",
      ],
      [
        await cwJson("DescribeAlarms", '{"NextToken":"bogus"}'),
        400,
        "InvalidNextToken",
        "InvalidNextToken;Sender",
      ],
      [
        // CloudWatch reports model-constraint failures as ValidationError (src/metrics/errors.ts).
        await cwJson("DescribeAlarms", '{"MaxRecords":0}'),
        400,
        "ValidationError",
        "ValidationError;Sender",
      ],
      [
        await cwJson("GetMetricStatistics", '{"Namespace":"n","MetricName":"m","StartTime":0,"EndTime":60}'),
        400,
        "MissingRequiredParameterException",
        "MissingParameter;Sender",
      ],
    ];
    for (const [r, status, type, header] of cases) {
      assert.equal(r.status, status, r.text);
      assert.equal(r.headers.get("content-type"), "application/x-amz-json-1.0");
      assert.equal(jsonError(r).__type, `com.amazonaws.cloudwatch#${type}`, r.text);
      assert.equal(r.headers.get("x-amzn-query-error"), header);
    }
    await stillUp();
  });

  test("a body over CloudWatch's 1 MB", async () => {
    const body = `{"Namespace":"n","MetricData":[],"pad":"${"x".repeat(1_100_000)}"}`;
    const r = await cwJson("PutMetricData", body);
    assert.equal(r.status, 413);
    assert.equal(r.headers.get("x-amzn-query-error"), "RequestEntityTooLarge;Sender");
    assert.equal(jsonError(r).message, `Request size ${body.length} exceeded 1048576 bytes`);
    await stillUp();
  });
});

describe("bad input: CloudWatch (rpc-v2-cbor)", () => {
  const decode = (r: Raw) => {
    assert.equal(r.headers.get("smithy-protocol"), "rpc-v2-cbor");
    assert.equal(r.headers.get("content-type"), "application/cbor");
    return cborDecoder.decode(r.bytes) as { __type: string; message: string };
  };

  test("malformed CBOR, non-map bodies, wrong types, missing protocol header, unknown operations", async () => {
    const cases: [Raw, number, string][] = [
      [await cbor("PutMetricAlarm", Buffer.from([0xbf, 0x61])), 400, "SerializationException"],
      [await cbor("PutMetricAlarm", Buffer.from([0x18])), 400, "SerializationException"],
      [await cbor("PutMetricAlarm", cborEncoder.encode(42)), 400, "SerializationException"],
      [
        await cbor("PutMetricAlarm", cborEncoder.encode({ AlarmName: "a", Period: "300" })),
        400,
        "SerializationException",
      ],
      [
        await cbor("GetMetricStatistics", cborEncoder.encode({ StartTime: "yesterday" })),
        400,
        "SerializationException",
      ],
      [
        await cbor("DescribeAlarms", cborEncoder.encode({}), { "smithy-protocol": "" }),
        400,
        "SerializationException",
      ],
      [
        await cbor("DescribeAlarms", Buffer.from("{}"), { "content-type": "application/json" }),
        415,
        "UnsupportedMediaTypeException",
      ],
      [await cbor("NoSuchOperation", cborEncoder.encode({})), 404, "UnknownOperationException"],
      [
        await send(
          "/service/SomethingElse/operation/X",
          { "content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor" },
          Buffer.alloc(0),
          "monitoring",
        ),
        404,
        "UnknownOperationException",
      ],
    ];
    for (const [r, status, type] of cases) {
      assert.equal(r.status, status);
      const e = decode(r);
      assert.equal(e.__type, `com.amazonaws.cloudwatch#${type}`, e.message);
      assert.ok(r.headers.get("x-amzn-query-error"));
    }
    await stillUp();
  });

  test("an empty body is an empty input", async () => {
    const r = await cbor("DescribeAlarms", Buffer.alloc(0));
    assert.equal(r.status, 200);
    assert.deepEqual(cborDecoder.decode(r.bytes), { MetricAlarms: [], CompositeAlarms: [] });
  });
});

describe("bad input: awsQuery (CloudWatch and SNS)", () => {
  const cases: [string, () => Promise<Raw>, number, string, RegExp?][] = [
    ["no Action", () => query("Version=2010-03-31&Name=x"), 400, "MissingAction"],
    [
      "an unknown Action",
      () => query("Action=Frobnicate&Version=2010-03-31"),
      400,
      "InvalidAction",
      /^The action Frobnicate is not valid for this web service\.$/,
    ],
    [
      "a Logs action over query",
      () => query("Action=CreateLogGroup&Version=2010-08-01", "monitoring"),
      400,
      "InvalidAction",
    ],
    ["an unknown Version", () => query("Action=ListTopics&Version=2099-01-01"), 400, "NoSuchVersion"],
    [
      "malformed percent-encoding",
      () => query("Action=CreateTopic&Version=2010-03-31&Name=%E0%A4%A"),
      400,
      "MalformedQueryString",
    ],
    [
      "a text/plain body",
      () => query("Action=ListTopics&Version=2010-03-31", "sns", "text/plain"),
      415,
      "UnsupportedMediaType",
    ],
    [
      "a non-numeric Period",
      () =>
        query(
          "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a&MetricName=m&Namespace=n&Statistic=Sum&Period=abc&EvaluationPeriods=1&Threshold=1&ComparisonOperator=GreaterThanThreshold",
          "monitoring",
        ),
      400,
      "InvalidParameterValue",
      /Period/,
    ],
    [
      "a missing required member",
      () => query("Action=PutMetricAlarm&Version=2010-08-01&MetricName=m", "monitoring"),
      400,
      "ValidationError",
      /alarmName/i,
    ],
    [
      "Publish without a topic",
      () => query("Action=Publish&Version=2010-03-31&Message=hi"),
      400,
      "InvalidParameter",
    ],
    [
      "an unknown topic",
      () =>
        query(
          "Action=GetTopicAttributes&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Anope",
        ),
      404,
      "NotFound",
      /^Topic does not exist$/,
    ],
    [
      "a bad boolean",
      () =>
        query(
          "Action=Subscribe&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Anope&Protocol=email&Endpoint=a%40b.example&ReturnSubscriptionArn=maybe",
        ),
      400,
      "InvalidParameter",
    ],
  ];
  for (const [name, run, status, code, message] of cases) {
    test(name, async () => {
      const r = await run();
      assert.equal(r.status, status, r.text);
      const e = xmlCode(r);
      assert.equal(e.code, code, r.text);
      if (message) assert.match(e.message ?? "", message);
      assert.match(r.text, /<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
      await stillUp();
    });
  }

  test("a form over SNS's 1 MB", async () => {
    const r = await query(`Action=Publish&Version=2010-03-31&Message=${"x".repeat(1_100_000)}`);
    assert.equal(r.status, 413);
    assert.equal(xmlCode(r).code, "RequestEntityTooLarge");
    await stillUp();
  });

  test("a body over the server's largest limit is refused before it is read, in the protocol's shape", async () => {
    const r = await query(`Action=Publish&Version=2010-03-31&Message=${"x".repeat(5 * 1024 * 1024)}`);
    assert.equal(r.status, 413);
    assert.equal(xmlCode(r).code, "RequestEntityTooLarge");
    await stillUp();
  });
});
