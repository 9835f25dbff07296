/**
 * Generates src/api/model/{logs,cloudwatch,sns}.ts from botocore's service models (Apache-2.0), keeping only
 * the operations trailwatch serves and the shapes they reach. Run when an operation is added:
 *
 *   npx tsx test/api/tools/generate-models.ts [BOTOCORE_DATA_DIR]
 *
 * BOTOCORE_DATA_DIR defaults to the pip AWS CLI's botocore (`python3 -c 'import botocore,os;
 * print(os.path.dirname(botocore.__file__))'`/data).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

type Json = Record<string, any>;

const SERVICES: { file: string; out: string; constName: string; operations: string[] }[] = [
  {
    file: "logs/2014-03-28/service-2.json.gz",
    out: "logs.ts",
    constName: "LOGS_MODEL",
    operations: [
      "CreateLogGroup",
      "DeleteLogGroup",
      "DescribeLogGroups",
      "CreateLogStream",
      "DeleteLogStream",
      "DescribeLogStreams",
      "PutLogEvents",
      "GetLogEvents",
      "FilterLogEvents",
      "PutMetricFilter",
      "DescribeMetricFilters",
      "DeleteMetricFilter",
      "TestMetricFilter",
      "PutRetentionPolicy",
      "DeleteRetentionPolicy",
      "TagResource",
      "UntagResource",
      "ListTagsForResource",
      "TagLogGroup",
      "UntagLogGroup",
      "ListTagsLogGroup",
    ],
  },
  {
    file: "cloudwatch/2010-08-01/service-2.json.gz",
    out: "cloudwatch.ts",
    constName: "CLOUDWATCH_MODEL",
    operations: [
      "PutMetricAlarm",
      "DescribeAlarms",
      "DescribeAlarmsForMetric",
      "DeleteAlarms",
      "SetAlarmState",
      "DescribeAlarmHistory",
      "EnableAlarmActions",
      "DisableAlarmActions",
      "PutCompositeAlarm",
      "PutMetricData",
      "GetMetricData",
      "GetMetricStatistics",
      "ListMetrics",
      "TagResource",
      "UntagResource",
      "ListTagsForResource",
    ],
  },
  {
    file: "sns/2010-03-31/service-2.json.gz",
    out: "sns.ts",
    constName: "SNS_MODEL",
    operations: [
      "CreateTopic",
      "DeleteTopic",
      "ListTopics",
      "GetTopicAttributes",
      "SetTopicAttributes",
      "Subscribe",
      "ConfirmSubscription",
      "Unsubscribe",
      "ListSubscriptions",
      "ListSubscriptionsByTopic",
      "GetSubscriptionAttributes",
      "SetSubscriptionAttributes",
      "Publish",
      "ListTagsForResource",
    ],
  },
];

function botocoreData(): string {
  if (process.argv[2]) return process.argv[2];
  const dir = execFileSync("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"])
    .toString()
    .trim();
  return join(dir, "data");
}

function compactShape(s: Json): Json {
  switch (s.type) {
    case "structure": {
      const order: string[] = s.xmlOrder ?? Object.keys(s.members ?? {});
      const members = order.map((name) => {
        const m = s.members[name];
        return m.locationName ? [name, m.shape, m.locationName] : [name, m.shape];
      });
      return { type: "structure", members, ...(s.required?.length ? { required: s.required } : {}) };
    }
    case "list":
      return pick(
        {
          type: "list",
          member: ref(s.member),
          flattened: s.flattened,
        },
        s,
        ["min", "max"],
      );
    case "map":
      return pick({ type: "map", key: ref(s.key), value: ref(s.value), flattened: s.flattened }, s, [
        "min",
        "max",
      ]);
    default:
      return pick({ type: s.type }, s, ["min", "max", "pattern", "enum"]);
  }
}

function ref(m: Json): Json {
  return m.locationName ? { shape: m.shape, locationName: m.locationName } : { shape: m.shape };
}

function pick(base: Json, from: Json, keys: string[]): Json {
  for (const k of keys) if (from[k] !== undefined) base[k] = from[k];
  for (const k of Object.keys(base)) if (base[k] === undefined) delete base[k];
  return base;
}

function generate(dataDir: string, spec: (typeof SERVICES)[number]): string {
  const model = JSON.parse(gunzipSync(readFileSync(join(dataDir, spec.file))).toString("utf8")) as Json;
  const shapes: Json = {};
  const errors: Json = {};
  const visit = (name: string): void => {
    if (shapes[name] || errors[name]) return;
    const s = model.shapes[name];
    if (s.exception) {
      errors[name] = {
        code: s.error?.code ?? name,
        status: s.error?.httpStatusCode ?? 400,
        sender: s.error?.senderFault ?? true,
      };
      return;
    }
    shapes[name] = compactShape(s);
    if (s.type === "structure") for (const m of Object.values<Json>(s.members ?? {})) visit(m.shape);
    if (s.type === "list") visit(s.member.shape);
    if (s.type === "map") {
      visit(s.key.shape);
      visit(s.value.shape);
    }
  };
  const operations: Json = {};
  for (const op of spec.operations) {
    const o = model.operations[op];
    if (!o) throw new Error(`${spec.file}: no operation ${op}`);
    operations[op] = pick(
      { input: o.input?.shape, output: o.output?.shape, resultWrapper: o.output?.resultWrapper },
      {},
      [],
    );
    if (o.input) visit(o.input.shape);
    if (o.output) visit(o.output.shape);
    for (const e of o.errors ?? []) visit(e.shape);
  }
  // Every error shape of the service, so any exception name maps to its wire code.
  for (const [name, s] of Object.entries<Json>(model.shapes)) if (s.exception) visit(name);
  const md = model.metadata;
  const out = {
    signingName: md.signingName ?? md.endpointPrefix,
    apiVersion: md.apiVersion,
    ...(md.targetPrefix ? { targetPrefix: md.targetPrefix } : {}),
    ...(md.xmlNamespace ? { xmlNamespace: md.xmlNamespace } : {}),
    operations,
    shapes,
    errors,
  };
  return [
    `// Generated by test/api/tools/generate-models.ts from botocore ${spec.file} (Apache-2.0). Do not edit.`,
    `import type { ServiceModel } from "./types.js";`,
    "",
    `export const ${spec.constName}: ServiceModel = ${JSON.stringify(out)};`,
    "",
  ].join("\n");
}

const dataDir = botocoreData();
for (const spec of SERVICES) {
  const path = new URL(`../../../src/api/model/${spec.out}`, import.meta.url);
  writeFileSync(path, generate(dataDir, spec));
  console.log(`wrote ${path.pathname}`);
}
