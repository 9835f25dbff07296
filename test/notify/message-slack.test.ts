/** The Slack incoming-webhook payload: shape, escaping, Slack's limits. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { EventSummary } from "../../src/metrics/event-refs.js";
import {
  escapeSlack,
  SLACK_LIMITS,
  type SlackBlock,
  shortIdentity,
  slackAlarmPayload,
} from "../../src/notify/message/slack.js";
import type { CompositeAlarm } from "../../src/store/types.js";
import { IDENTITY as identity, REASON, rootAlarm, transitionOf } from "../helpers/alarm-fixtures.js";

const ROOT_LOGIN: EventSummary = {
  eventTime: "2022-11-10T16:24:34Z",
  eventName: "ConsoleLogin",
  eventSource: "signin.amazonaws.com",
  userIdentityType: "Root",
  userIdentityArn: "arn:aws:iam::111122223333:root",
  sourceIPAddress: "192.0.2.0",
  awsRegion: "us-east-1",
  eventID: "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
};
const ROLE: EventSummary = {
  eventTime: "2022-11-10T16:22:10Z",
  eventName: "DeleteTrail",
  userIdentityType: "AssumedRole",
  userIdentityArn: "arn:aws:sts::111122223333:assumed-role/Admin/alice",
  sourceIPAddress: "198.51.100.1",
  awsRegion: "eu-west-1",
};

/** Every text a block carries. */
function texts(blocks: readonly SlackBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === "header") out.push(b.text.text);
    if (b.type === "section") {
      if (b.text) out.push(b.text.text);
      for (const f of b.fields ?? []) out.push(f.text);
    }
    if (b.type === "context") for (const e of b.elements) out.push(e.text);
  }
  return out;
}

function checkLimits(blocks: readonly SlackBlock[]): void {
  assert.ok(blocks.length <= SLACK_LIMITS.blocks);
  for (const b of blocks) {
    if (b.type === "header") assert.ok(b.text.text.length <= SLACK_LIMITS.headerText, "header");
    if (b.type === "section") {
      if (b.text) assert.ok(b.text.text.length <= SLACK_LIMITS.sectionText, "section text");
      assert.ok((b.fields ?? []).length <= SLACK_LIMITS.fields);
      for (const f of b.fields ?? []) assert.ok(f.text.length <= SLACK_LIMITS.fieldText, "field");
    }
    if (b.type === "context") assert.ok(b.elements.length <= SLACK_LIMITS.contextElements);
  }
}

describe("slackAlarmPayload", () => {
  const payload = slackAlarmPayload(transitionOf(rootAlarm()), identity, {
    events: { events: [ROOT_LOGIN, ROLE], total: 4 },
    alarmUrl: "https://trailwatch.example.com/alarms/Root%20account%20usage",
  });

  test("fallback text is the Subject; header, facts, description, reason, events, context", () => {
    assert.equal(payload.text, 'ALARM: "Root account usage" in US East (N. Virginia)');
    assert.deepEqual(
      payload.blocks.map((b) => b.type),
      ["header", "section", "section", "section", "section", "context"],
    );
    const [header, facts, description, reason, events, context] = payload.blocks;
    assert.deepEqual(header, {
      type: "header",
      text: { type: "plain_text", text: ":red_circle: ALARM: Root account usage", emoji: true },
    });
    assert.deepEqual(facts.type === "section" && facts.fields?.map((f) => f.text), [
      "*State change*\nOK → ALARM",
      "*When*\nThursday 10 November, 2022 16:25:41 UTC",
      "*Region*\nUS East (N. Virginia)",
      "*Account*\n123456789012",
      "*Metric*\nCloudTrailMetrics / RootAccountUsageCount",
      "*Condition*\nSum GreaterThanOrEqualToThreshold 1.0 for at least 1 of the last 1 period(s) of 300 seconds",
    ]);
    assert.deepEqual(description, {
      type: "section",
      text: {
        type: "mrkdwn",
        text: "*Description*\nThe root user's credentials were used (not by an AWS service on its behalf).",
      },
    });
    assert.deepEqual(reason, { type: "section", text: { type: "mrkdwn", text: `*Reason*\n${REASON}` } });
    assert.equal(
      events.type === "section" && events.text?.text,
      [
        "*Who did it* — The 2 most recent of 4 matching events:",
        "```",
        "Time (UTC)            Event         Identity                  Source IP     Region",
        "--------------------  ------------  ------------------------  ------------  ---------",
        "2022-11-10T16:24:34Z  ConsoleLogin  Root                      192.0.2.0     us-east-1",
        "2022-11-10T16:22:10Z  DeleteTrail   assumed-role/Admin/alice  198.51.100.1  eu-west-1",
        "```",
      ].join("\n"),
    );
    assert.deepEqual(context.type === "context" && context.elements.map((e) => e.text), [
      "… and 2 more events (4 in total)",
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage",
      "<https://trailwatch.example.com/alarms/Root%20account%20usage|View this alarm in trailwatch>",
    ]);
    checkLimits(payload.blocks);
  });

  test("each state has its own emoji and words", () => {
    const ok = slackAlarmPayload(transitionOf(rootAlarm(), { oldState: "ALARM", newState: "OK" }), identity);
    assert.equal(
      ok.blocks[0].type === "header" && ok.blocks[0].text.text,
      ":large_green_circle: OK: Root account usage",
    );
    const insufficient = slackAlarmPayload(
      transitionOf(rootAlarm(), { newState: "INSUFFICIENT_DATA" }),
      identity,
    );
    assert.equal(
      insufficient.blocks[0].type === "header" && insufficient.blocks[0].text.text,
      ":white_circle: INSUFFICIENT_DATA: Root account usage",
    );
    assert.equal(ok.text, 'OK: "Root account usage" in US East (N. Virginia)');
  });

  test("no description, no events option: those blocks are left out", () => {
    const p = slackAlarmPayload(transitionOf(rootAlarm({ alarmDescription: undefined })), identity);
    assert.deepEqual(
      p.blocks.map((b) => b.type),
      ["header", "section", "section", "context"],
    );
    assert.doesNotMatch(texts(p.blocks).join("\n"), /Who did it/);
  });

  test("&, < and > are escaped everywhere Slack parses them, code block included", () => {
    const hostile: EventSummary = {
      eventTime: "2022-11-10T16:24:34Z",
      eventName: "<!channel> & <https://evil.example|click>",
      userIdentityType: "IAMUser",
      userIdentityArn: "arn:aws:iam::111122223333:user/a>b",
      sourceIPAddress: "```<@U123>```",
      awsRegion: "us-east-1",
    };
    const p = slackAlarmPayload(
      transitionOf(rootAlarm({ alarmName: "a<b>&c", alarmDescription: "<!here> look" }), {
        reason: "Because <@U999> & <#C1>",
      }),
      identity,
      { events: { events: [hostile], total: 1 } },
    );
    const mrkdwn = texts(p.blocks.filter((b) => b.type !== "header"));
    for (const text of [p.text, ...mrkdwn]) {
      // The only `<` left is the start of a link the payload itself made.
      assert.doesNotMatch(text.replace(/<https:\/\/[^|<>]+\|[^<>]+>/g, ""), /[<>]/, text);
      assert.doesNotMatch(text, /&(?!amp;|lt;|gt;)/, text);
    }
    const all = mrkdwn.join("\n");
    assert.match(all, /&lt;!channel&gt; &amp; &lt;https:\/\/evil\.example\|click&gt;/);
    assert.match(all, /\*Reason\*\nBecause &lt;@U999&gt; &amp; &lt;#C1&gt;/);
    assert.match(all, /\*Description\*\n&lt;!here&gt; look/);
    assert.match(all, /user\/a&gt;b/);
    assert.equal(p.text, 'ALARM: "a&lt;b&gt;&amp;c" in US East (N. Virginia)');
    // A value cannot close the code block early.
    const table = mrkdwn.find((t) => t.startsWith("*Who did it*"))!;
    assert.equal(table.match(/```/g)?.length, 2);
    // The header is plain_text (not parsed for links or mentions): written as it is.
    assert.equal(p.blocks[0].type === "header" && p.blocks[0].text.text, ":red_circle: ALARM: a<b>&c");
  });

  test("an alarm URL that is not http(s) is not linked", () => {
    const p = slackAlarmPayload(transitionOf(rootAlarm()), identity, { alarmUrl: "javascript:alert(1)" });
    assert.doesNotMatch(texts(p.blocks).join("\n"), /javascript|View this alarm/);
  });

  test("huge inputs stay within Slack's limits; rows that do not fit count as 'more'", () => {
    const long = "x".repeat(5000);
    const many: EventSummary[] = Array.from({ length: 10 }, (_, i) => ({
      eventTime: `2022-11-10T16:2${i}:00Z`,
      // Cut to 48 characters in the table, then escaped to about four times that.
      eventName: `Event${i}${"<&>".repeat(100)}`,
      userIdentityArn: `arn:aws:iam::111122223333:user/${"&".repeat(300)}`,
      sourceIPAddress: "203.0.113.1",
      awsRegion: "us-east-1",
    }));
    const p = slackAlarmPayload(
      transitionOf(rootAlarm({ alarmName: "N".repeat(255), alarmDescription: "<&>".repeat(2000) }), {
        reason: long,
      }),
      identity,
      { events: { events: many, total: 10 } },
    );
    checkLimits(p.blocks);
    const description = texts(p.blocks).find((t) => t.startsWith("*Description*"))!;
    assert.ok(description.endsWith("…"));
    assert.doesNotMatch(description, /&(?!amp;|lt;|gt;)/, "no entity is cut in half");
    const who = texts(p.blocks).find((t) => t.startsWith("*Who did it*"))!;
    const rows = who.split("\n").filter((l) => /^2022-/.test(l)).length;
    assert.ok(rows >= 1 && rows < 10, `${rows} rows`);
    assert.match(who, new RegExp(`The ${rows} most recent of 10 matching events:`));
    assert.equal(texts(p.blocks).at(-2), `… and ${10 - rows} more events (10 in total)`);
  });

  test("a composite alarm shows its rule", () => {
    const composite: CompositeAlarm = {
      alarmType: "CompositeAlarm",
      alarmName: "Account takeover",
      actionsEnabled: true,
      okActions: [],
      alarmActions: [],
      insufficientDataActions: [],
      alarmRule: 'ALARM("Root account usage") AND ALARM("Console sign-in without MFA")',
      tags: {},
      alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Account takeover",
      alarmConfigurationUpdatedTimestamp: 0,
      stateValue: "ALARM",
      stateReason: "",
      stateUpdatedTimestamp: 0,
      stateTransitionedTimestamp: 0,
    };
    const p = slackAlarmPayload(transitionOf(composite), identity);
    assert.ok(
      texts(p.blocks).includes(
        '*Rule*\nALARM("Root account usage") AND ALARM("Console sign-in without MFA")',
      ),
    );
  });
});

describe("helpers", () => {
  test("shortIdentity: Root, the ARN's resource, or the type", () => {
    assert.equal(shortIdentity("Root", "arn:aws:iam::111122223333:root"), "Root");
    assert.equal(shortIdentity(undefined, "arn:aws:iam::111122223333:root"), "Root");
    assert.equal(shortIdentity("IAMUser", "arn:aws:iam::111122223333:user/bob"), "user/bob");
    assert.equal(
      shortIdentity("AssumedRole", "arn:aws:sts::111122223333:assumed-role/Admin/alice"),
      "assumed-role/Admin/alice",
    );
    assert.equal(shortIdentity("AWSService", undefined), "AWSService");
    assert.equal(shortIdentity(undefined, undefined), "-");
    assert.equal(shortIdentity(undefined, "not-an-arn"), "not-an-arn");
  });

  test("escapeSlack escapes exactly the three control characters", () => {
    assert.equal(escapeSlack(`a & b < c > d "e" 'f' *g*`), `a &amp; b &lt; c &gt; d "e" 'f' *g*`);
  });
});
