/**
 * Both AWS CLIs against a listening server with `--endpoint-url`: the pip CLI 1.x on PATH (CloudWatch over
 * JSON 1.0) and Debian's CLI 2.x at /usr/bin/aws (CloudWatch over awsQuery). Each builds the root-usage alarm
 * of the seed, sends a root sign-in with put-log-events and sees the alarm in ALARM; an error comes back as
 * the CLI reports AWS's errors. A CLI that is not installed is skipped with a message, except that under
 * CI=true /usr/bin/aws must exist (.ci/run installs it).
 *
 * The CLIs run isolated from any AWS configuration on the machine: AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE point to /dev/null and the test key comes from the environment.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { SEED_FILTERS } from "../../src/packs/patterns.js";
import { REGION, rootSignIn, startApiServer, TEST_KEY } from "./helpers.js";

interface Cli {
  name: string;
  command: string;
  skip: string | false;
}

function version(command: string): string | undefined {
  try {
    return execFileSync(command, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch {
    return undefined;
  }
}

const debianVersion = existsSync("/usr/bin/aws") ? version("/usr/bin/aws") : undefined;
const pathVersion = version("aws");
if (process.env.CI === "true" && debianVersion === undefined) {
  throw new Error("CI=true: /usr/bin/aws (Debian's awscli 2) must be installed (apt-get install -y awscli)");
}
const CLIS: Cli[] = [
  {
    name: `aws on PATH (${pathVersion?.split(" ")[0] ?? "absent"})`,
    command: "aws",
    skip:
      pathVersion === undefined
        ? "no `aws` on PATH (pip install awscli to run this test)"
        : pathVersion === debianVersion
          ? "`aws` on PATH is /usr/bin/aws, tested below"
          : false,
  },
  {
    name: `/usr/bin/aws (${debianVersion?.split(" ")[0] ?? "absent"})`,
    command: "/usr/bin/aws",
    skip: debianVersion === undefined ? "/usr/bin/aws is not installed (apt-get install -y awscli)" : false,
  },
];

function runCli(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Asynchronous on purpose: the server answering the CLI runs in this process.
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("the AWS CLIs", () => {
  for (const cli of CLIS) {
    test(cli.name, { skip: cli.skip }, async () => {
      const server = await startApiServer();
      const dir = mkdtempSync(join(tmpdir(), "trailwatch-cli-"));
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_KEY.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        AWS_REGION: REGION,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
      };
      const aws = async (...args: string[]) => {
        const r = await runCli(cli.command, ["--endpoint-url", server.url, "--output", "json", ...args], env);
        assert.equal(r.code, 0, `aws ${args.slice(0, 2).join(" ")} failed: ${r.stderr}`);
        return r.stdout.trim() === "" ? {} : JSON.parse(r.stdout);
      };
      try {
        const root = SEED_FILTERS[0];
        await aws("logs", "create-log-group", "--log-group-name", "CloudTrail/DefaultLogGroup");
        await aws(
          "logs",
          "create-log-stream",
          "--log-group-name",
          "CloudTrail/DefaultLogGroup",
          "--log-stream-name",
          "trail",
        );
        await aws(
          "logs",
          "put-metric-filter",
          "--log-group-name",
          "CloudTrail/DefaultLogGroup",
          "--filter-name",
          root.filterName,
          "--filter-pattern",
          root.filterPattern,
          "--metric-transformations",
          `metricName=${root.metricName},metricNamespace=${root.namespace},metricValue=1`,
        );
        const filters = await aws(
          "logs",
          "describe-metric-filters",
          "--log-group-name",
          "CloudTrail/DefaultLogGroup",
        );
        assert.equal(filters.metricFilters[0].filterPattern, root.filterPattern);

        const { TopicArn } = await aws("sns", "create-topic", "--name", "security-alarms");
        assert.equal(TopicArn, "arn:aws:sns:us-east-1:123456789012:security-alarms");

        await aws(
          "cloudwatch",
          "put-metric-alarm",
          "--alarm-name",
          "Root account usage",
          "--metric-name",
          root.metricName,
          "--namespace",
          root.namespace,
          "--statistic",
          "Sum",
          "--period",
          "300",
          "--evaluation-periods",
          "1",
          "--threshold",
          "1",
          "--comparison-operator",
          "GreaterThanOrEqualToThreshold",
          "--alarm-actions",
          TopicArn,
        );

        const now = new Date();
        const events = join(dir, "events.json");
        writeFileSync(events, JSON.stringify([{ timestamp: now.getTime(), message: rootSignIn(now) }]));
        await aws(
          "logs",
          "put-log-events",
          "--log-group-name",
          "CloudTrail/DefaultLogGroup",
          "--log-stream-name",
          "trail",
          "--log-events",
          `file://${events}`,
        );

        const alarms = await aws("cloudwatch", "describe-alarms", "--state-value", "ALARM");
        assert.deepEqual(
          alarms.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName),
          ["Root account usage"],
        );
        assert.equal(alarms.MetricAlarms[0].Threshold, 1);
        assert.deepEqual(alarms.MetricAlarms[0].AlarmActions, [TopicArn]);

        // An AWS error, as the CLI prints it.
        const missing = await runCli(
          cli.command,
          ["--endpoint-url", server.url, "logs", "describe-log-streams", "--log-group-name", "nope"],
          env,
        );
        assert.notEqual(missing.code, 0);
        assert.match(
          missing.stderr,
          /An error occurred \(ResourceNotFoundException\) when calling the DescribeLogStreams operation: The specified log group does not exist\./,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await server.close();
      }
    });
  }
});
