/**
 * Access keys as the SDK clients meet them: a configured key works, a wrong secret, an unknown key and a
 * skewed clock get AWS's errors in each protocol, a read-only key can read but not write, an unsigned request
 * is refused except SNS ConfirmSubscription. Plus the key-list format and serve's startup rule.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { AuthConfigError, authStartupError, loadAuthConfig } from "../../src/api/auth/config.js";
import { type ApiServer, authWith, clientConfig, startApiServer, TEST_KEY } from "./helpers.js";

const READER = { accessKeyId: "AKIATRAILWATCHREAD", secretAccessKey: "reader-secret", readOnly: true };

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error("the request succeeded");
}

describe("SigV4 with configured keys", () => {
  let server: ApiServer;
  let skewed: ApiServer;
  before(async () => {
    server = await startApiServer({ auth: authWith(TEST_KEY, READER) });
    // A server whose clock runs 10 minutes ahead of the clients'.
    skewed = await startApiServer({ auth: authWith(TEST_KEY), now: () => Date.now() + 10 * 60_000 });
  });
  after(async () => {
    await server.close();
    await skewed.close();
  });

  const clients = (url: string, key: { accessKeyId: string; secretAccessKey: string }) => {
    const config = clientConfig(url, key);
    return {
      logs: new CloudWatchLogsClient(config),
      sns: new SNSClient(config),
      cwJson: new CloudWatchClient(config),
      cwQuery: new CloudWatchClient({ ...config, protocol: AwsQueryProtocol }),
      cwCbor: new CloudWatchClient({ ...config, protocol: AwsSmithyRpcV2CborProtocol }),
    };
  };

  test("the configured key reads and writes", async () => {
    const c = clients(server.url, TEST_KEY);
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: "g1" }));
    const groups = await c.logs.send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(
      groups.logGroups?.map((g) => g.logGroupName),
      ["g1"],
    );
    await c.sns.send(new CreateTopicCommand({ Name: "t1" }));
    for (const cw of [c.cwJson, c.cwQuery, c.cwCbor]) await cw.send(new DescribeAlarmsCommand({}));
  });

  test("a wrong secret: InvalidSignatureException / SignatureDoesNotMatch", async () => {
    const c = clients(server.url, { ...TEST_KEY, secretAccessKey: "not-the-secret" });
    const logs = await errorOf(c.logs.send(new DescribeLogGroupsCommand({})));
    assert.equal(logs.name, "InvalidSignatureException");
    assert.equal(logs.status, 400);
    assert.match(
      logs.message,
      /^The request signature we calculated does not match the signature you provided/,
    );
    const sns = await errorOf(c.sns.send(new ListTopicsCommand({})));
    assert.equal(sns.name, "SignatureDoesNotMatch");
    assert.equal(sns.status, 403);
    for (const cw of [c.cwJson, c.cwQuery, c.cwCbor]) {
      const e = await errorOf(cw.send(new DescribeAlarmsCommand({})));
      assert.match(e.name, /^(InvalidSignatureException|SignatureDoesNotMatch)$/);
    }
  });

  test("an unknown key: UnrecognizedClientException / InvalidClientTokenId", async () => {
    const c = clients(server.url, { accessKeyId: "AKIANOBODY", secretAccessKey: "x" });
    assert.equal(
      (await errorOf(c.logs.send(new DescribeLogGroupsCommand({})))).name,
      "UnrecognizedClientException",
    );
    assert.equal((await errorOf(c.sns.send(new ListTopicsCommand({})))).name, "InvalidClientTokenId");
    assert.equal((await errorOf(c.cwQuery.send(new DescribeAlarmsCommand({})))).name, "InvalidClientTokenId");
  });

  test("a read-only key reads, and is refused writes in each service's terms", async () => {
    const c = clients(server.url, READER);
    await c.logs.send(new DescribeLogGroupsCommand({}));
    await c.sns.send(new ListTopicsCommand({}));
    await c.cwCbor.send(new DescribeAlarmsCommand({}));
    const logs = await errorOf(c.logs.send(new CreateLogGroupCommand({ logGroupName: "g2" })));
    assert.equal(logs.name, "AccessDeniedException");
    assert.match(
      logs.message,
      /^User: arn:aws:iam::123456789012:user\/AKIATRAILWATCHREAD is not authorized to perform: logs:CreateLogGroup/,
    );
    assert.equal(
      (await errorOf(c.sns.send(new CreateTopicCommand({ Name: "t2" })))).name,
      "AuthorizationErrorException",
    );
    const alarm = new PutMetricAlarmCommand({
      AlarmName: "a",
      MetricName: "m",
      Namespace: "n",
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanThreshold",
    });
    assert.equal((await errorOf(c.cwQuery.send(alarm))).name, "AccessDenied");
    assert.match((await errorOf(c.cwJson.send(alarm))).name, /^AccessDenied/);
    const groups = await clients(server.url, TEST_KEY).logs.send(new DescribeLogGroupsCommand({}));
    assert.ok(!groups.logGroups?.some((g) => g.logGroupName === "g2"), "the refused write did not happen");
  });

  test("a clock 10 minutes off: the signature has expired", async () => {
    const c = clients(skewed.url, TEST_KEY);
    const logs = await errorOf(c.logs.send(new DescribeLogGroupsCommand({})));
    assert.equal(logs.name, "InvalidSignatureException");
    assert.match(
      logs.message,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    assert.equal((await errorOf(c.sns.send(new ListTopicsCommand({})))).name, "SignatureDoesNotMatch");
  });

  test("unsigned requests are refused, except ConfirmSubscription (its token is the credential)", async () => {
    const res = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ListTopics&Version=2010-03-31",
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const confirm = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ConfirmSubscription&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3At1&Token=nope",
    });
    assert.equal(confirm.status, 400);
    assert.match(
      await confirm.text(),
      /<Code>InvalidParameter<\/Code><Message>Invalid parameter: Token<\/Message>/,
    );
  });
});

describe("open mode (no keys, loopback)", () => {
  test("any well-formed signature is accepted, whatever its key and secret", async () => {
    const server = await startApiServer({ auth: { keys: new Map() } });
    try {
      const logs = new CloudWatchLogsClient(
        clientConfig(server.url, { accessKeyId: "anything", secretAccessKey: "at all" }),
      );
      await logs.send(new CreateLogGroupCommand({ logGroupName: "dev" }));
      const sns = new SNSClient(
        clientConfig(server.url, { accessKeyId: "AKIAOTHER", secretAccessKey: "other" }),
      );
      await sns.send(new CreateTopicCommand({ Name: "dev" }));
    } finally {
      await server.close();
    }
  });
});

describe("access-key configuration", () => {
  test("TRAILWATCH_ACCESS_KEYS: several keys, read-only ones marked :ro", () => {
    const config = loadAuthConfig({
      TRAILWATCH_ACCESS_KEYS: "AKIAOPS0001:s3cr3t/+=, AKIAVIEW001:v13w:ro;AKIAOPS0002:x:rw",
    });
    assert.deepEqual(
      [...config.keys.values()],
      [
        { accessKeyId: "AKIAOPS0001", secretAccessKey: "s3cr3t/+=", readOnly: false },
        { accessKeyId: "AKIAVIEW001", secretAccessKey: "v13w", readOnly: true },
        { accessKeyId: "AKIAOPS0002", secretAccessKey: "x", readOnly: false },
      ],
    );
    assert.equal(loadAuthConfig({}).keys.size, 0);
  });

  test("TRAILWATCH_ACCESS_KEYS_FILE: one key a line, comments", () => {
    const dir = mkdtempSync(join(tmpdir(), "trailwatch-keys-"));
    try {
      const file = join(dir, "keys");
      writeFileSync(file, "# operators\nAKIAOPS0001:secret-one\n\nAKIAVIEW001:secret-two:ro  # dashboards\n");
      const config = loadAuthConfig({
        TRAILWATCH_ACCESS_KEYS_FILE: file,
        TRAILWATCH_ACCESS_KEYS: "AKIAENV0001:e",
      });
      assert.deepEqual([...config.keys.keys()].sort(), ["AKIAENV0001", "AKIAOPS0001", "AKIAVIEW001"]);
      assert.equal(config.keys.get("AKIAVIEW001")?.readOnly, true);
      assert.throws(
        () => loadAuthConfig({ TRAILWATCH_ACCESS_KEYS_FILE: join(dir, "missing") }),
        AuthConfigError,
      );
      assert.throws(
        () =>
          loadAuthConfig({ TRAILWATCH_ACCESS_KEYS_FILE: file, TRAILWATCH_ACCESS_KEYS: "AKIAOPS0001:again" }),
        /AKIAOPS0001 is configured twice/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("malformed entries are refused with the entry's number", () => {
    for (const bad of ["AKIAONLYID", "AK:short-id", "AKIAOK0001:secret:admin", "AKIA OK:secret", ":secret"]) {
      assert.throws(() => loadAuthConfig({ TRAILWATCH_ACCESS_KEYS: bad }), AuthConfigError, bad);
    }
    assert.throws(() => loadAuthConfig({ TRAILWATCH_ACCESS_KEYS: "AKIAOK0001:s,AKIAOK0002" }), /entry 2/);
  });

  test("serve refuses to expose the APIs beyond loopback without keys", () => {
    const open = { keys: new Map() };
    assert.equal(authStartupError(open, { loopbackOnly: true }), undefined);
    assert.match(
      authStartupError(open, { loopbackOnly: false, host: "0.0.0.0" }) ?? "",
      /^refusing to serve the AWS APIs on 0\.0\.0\.0 without access keys/,
    );
    assert.equal(
      authStartupError(loadAuthConfig({ TRAILWATCH_ACCESS_KEYS: "AKIAOK0001:s" }), { loopbackOnly: false }),
      undefined,
    );
  });
});
