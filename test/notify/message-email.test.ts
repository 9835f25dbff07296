/** E-mail renderings: the alarm notification (text + HTML), the subscription confirmation, email-json. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { double } from "../../src/alarms/json-text.js";
import type { EventSummary } from "../../src/metrics/event-refs.js";
import {
  alarmEmail,
  emailJsonBody,
  esc,
  SUBSCRIPTION_CONFIRMATION_SUBJECT,
  subscriptionConfirmationEmail,
} from "../../src/notify/message/email.js";
import type { CompositeAlarm } from "../../src/store/types.js";
import { IDENTITY as identity, rootAlarm, transitionOf } from "../helpers/alarm-fixtures.js";

const UNSUBSCRIBE =
  "https://trailwatch.example.com/unsubscribe?SubscriptionArn=arn:aws:sns:us-east-1:123456789012:security-alerts:1b2c&Endpoint=ops@example.com";

const ROOT_LOGIN: EventSummary = {
  eventTime: "2022-11-10T16:24:34Z",
  eventName: "ConsoleLogin",
  eventSource: "signin.amazonaws.com",
  userIdentityType: "Root",
  userIdentityArn: "arn:aws:iam::111122223333:root",
  sourceIPAddress: "192.0.2.0",
  userAgent: "Mozilla/5.0",
  awsRegion: "us-east-1",
  recipientAccountId: "111122223333",
  eventID: "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
};
const ROLE_CALL: EventSummary = {
  eventTime: "2022-11-10T16:22:10Z",
  eventName: "CreateAccessKey",
  eventSource: "iam.amazonaws.com",
  userIdentityType: "Root",
  userIdentityArn: "arn:aws:iam::111122223333:root",
  sourceIPAddress: "198.51.100.23",
  awsRegion: "us-east-1",
  eventID: "7c1d2e3f-0000-4000-8000-000000000001",
};

describe("alarmEmail: plain text", () => {
  const mail = alarmEmail(transitionOf(rootAlarm()), identity, {
    unsubscribeUrl: UNSUBSCRIBE,
    events: { events: [ROOT_LOGIN, ROLE_CALL], total: 5 },
  });

  test("subject is the SNS Subject", () => {
    assert.equal(mail.subject, 'ALARM: "Root account usage" in US East (N. Virginia)');
  });

  test("AWS's body, line for line, then who did it, then the SNS footer", () => {
    const expectedAws = [
      'You are receiving this email because your Amazon CloudWatch Alarm "Root account usage" in the US East (N. Virginia) region has entered the ALARM state, because "Threshold Crossed: 1 datapoint [2.0 (10/11/22 16:20:00)] was greater than or equal to the threshold (1.0)." at "Thursday 10 November, 2022 16:25:41 UTC".',
      "",
      "Alarm Details:",
      "- Name:                       Root account usage",
      "- Description:                The root user's credentials were used (not by an AWS service on its behalf).",
      "- State Change:               OK -> ALARM",
      "- Reason for State Change:    Threshold Crossed: 1 datapoint [2.0 (10/11/22 16:20:00)] was greater than or equal to the threshold (1.0).",
      "- Timestamp:                  Thursday 10 November, 2022 16:25:41 UTC",
      "- AWS Account:                123456789012",
      "- Alarm Arn:                  arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage",
      "",
      "Threshold:",
      "- The alarm is in the ALARM state when the metric is GreaterThanOrEqualToThreshold 1.0 for at least 1 of the last 1 period(s) of 300 seconds.",
      "",
      "Monitored Metric:",
      "- MetricNamespace:                     CloudTrailMetrics",
      "- MetricName:                          RootAccountUsageCount",
      "- Dimensions:",
      "- Period:                              300 seconds",
      "- Statistic:                           Sum",
      "- Unit:                                not specified",
      "- TreatMissingData:                    missing",
      "",
      "",
      "State Change Actions:",
      "- OK:",
      "- ALARM: [arn:aws:sns:us-east-1:123456789012:security-alerts]",
      "- INSUFFICIENT_DATA:",
      "",
    ].join("\n");
    assert.ok(mail.text.startsWith(expectedAws), mail.text);
    const rest = mail.text.slice(expectedAws.length);
    assert.equal(
      rest,
      [
        "",
        "Who did it:",
        "The 2 most recent of 5 matching events:",
        "",
        "Time (UTC)            Event            Identity                             Source IP      Region     Event ID",
        "--------------------  ---------------  -----------------------------------  -------------  ---------  ------------------------------------",
        "2022-11-10T16:24:34Z  ConsoleLogin     Root arn:aws:iam::111122223333:root  192.0.2.0      us-east-1  deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
        "2022-11-10T16:22:10Z  CreateAccessKey  Root arn:aws:iam::111122223333:root  198.51.100.23  us-east-1  7c1d2e3f-0000-4000-8000-000000000001",
        "... and 3 more events (5 in total).",
        "",
        "--",
        "If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:",
        UNSUBSCRIBE,
        "",
        "Please do not reply directly to this email.",
        "",
      ].join("\n"),
    );
  });

  test("all events listed: no 'more' line; no events option: no section; none recorded: said so", () => {
    const all = alarmEmail(transitionOf(rootAlarm()), identity, {
      unsubscribeUrl: UNSUBSCRIBE,
      events: { events: [ROOT_LOGIN], total: 1 },
    });
    assert.match(all.text, /Who did it:\n1 matching event, newest first:\n/);
    assert.doesNotMatch(all.text, /more event/);
    const none = alarmEmail(transitionOf(rootAlarm()), identity, { unsubscribeUrl: UNSUBSCRIBE });
    assert.doesNotMatch(none.text, /Who did it/);
    assert.doesNotMatch(none.html, /Who did it/);
    assert.match(none.text, /unsubscribe:\nhttps:\/\/trailwatch\.example\.com\/unsubscribe/);
    const zero = alarmEmail(transitionOf(rootAlarm()), identity, {
      unsubscribeUrl: UNSUBSCRIBE,
      events: { events: [], total: 0 },
    });
    assert.match(zero.text, /Who did it:\nNo matching events were recorded/);
  });

  test("dimensions, M of N, units and the alarm link as AWS words them", () => {
    const mail2 = alarmEmail(
      transitionOf(
        rootAlarm({
          dimensions: [
            { Name: "ChannelId", Value: "5524579" },
            { Name: "Pipeline", Value: "0" },
          ],
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: 70,
          unit: "Count",
          okActions: ["arn:a", "arn:b"],
          comparisonOperator: "GreaterThanThreshold",
        }),
      ),
      { ...identity, region: "eu-west-1" },
      {
        unsubscribeUrl: UNSUBSCRIBE,
        alarmUrl: "https://trailwatch.example.com/alarms/Root%20account%20usage",
      },
    );
    assert.match(mail2.text, /in the EU \(Ireland\) region has entered the ALARM state/);
    assert.match(mail2.text, /- Dimensions: {26}\[ChannelId = 5524579\] \[Pipeline = 0\]\n/);
    assert.match(
      mail2.text,
      /GreaterThanThreshold 70\.0 for at least 3 of the last 5 period\(s\) of 300 seconds\./,
    );
    assert.match(mail2.text, /- Unit: {32}Count\n/);
    assert.match(mail2.text, /- OK: \[arn:a, arn:b\]\n/);
    assert.match(
      mail2.text,
      /\n\nView this alarm in trailwatch:\nhttps:\/\/trailwatch\.example\.com\/alarms\/Root%20account%20usage\n\nAlarm Details:/,
    );
  });

  test("a non-JSON event is listed by its message", () => {
    const m = alarmEmail(transitionOf(rootAlarm()), identity, {
      unsubscribeUrl: UNSUBSCRIBE,
      events: {
        events: [{ eventTime: "2022-11-10T16:20:00Z", message: "sshd: root login from 203.0.113.9" }],
        total: 1,
      },
    });
    assert.match(m.text, /2022-11-10T16:20:00Z {2}sshd: root login from 203\.0\.113\.9 +- +- +- +-\n/);
    assert.match(m.html, /colspan="5"[^>]*>sshd: root login from 203\.0\.113\.9<\/td>/);
  });
});

describe("alarmEmail: a composite alarm", () => {
  const composite: CompositeAlarm = {
    alarmType: "CompositeAlarm",
    alarmName: "Account takeover",
    actionsEnabled: true,
    okActions: [],
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:security-alerts"],
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

  test("the recorded composite opening; the rule instead of threshold and metric", () => {
    const reason =
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage transitioned to ALARM at Thursday 10 November, 2022 16:25:41 UTC";
    const m = alarmEmail(transitionOf(composite, { reason }), identity, { unsubscribeUrl: UNSUBSCRIBE });
    assert.ok(
      m.text.startsWith(
        `You are receiving this email because your Amazon CloudWatch Alarm "Account takeover" in the US East (N. Virginia) region has transitioned to ALARM state on Thursday 10 November, 2022 16:25:41 UTC, because "${reason}".\n\nAlarm Details:\n- Name:                       Account takeover\n- Description:\n- State Change:               OK -> ALARM\n`,
      ),
      m.text,
    );
    assert.match(
      m.text,
      /\nAlarm Rule:\n- ALARM\("Root account usage"\) AND ALARM\("Console sign-in without MFA"\)\n/,
    );
    assert.doesNotMatch(m.text, /Monitored Metric|Threshold:/);
    assert.match(m.html, /Alarm Rule<\/h2>\n<p[^>]*>ALARM\(&quot;Root account usage&quot;\) AND/);
  });
});

describe("alarmEmail: HTML", () => {
  const hostile: EventSummary = {
    eventTime: "2022-11-10T16:24:34Z",
    eventName: "<script>alert(1)</script>",
    eventSource: 'evil"><img src=x onerror=alert(2)>',
    userIdentityType: "IAMUser",
    userIdentityArn: "arn:aws:iam::111122223333:user/<b>mallory</b>",
    sourceIPAddress: "' onmouseover='x",
    awsRegion: "us-east-1&copy;",
    eventID: "id</td></tr></table><script>",
  };
  const mail = alarmEmail(
    transitionOf(rootAlarm({ alarmName: 'Root <usage> & "friends"', alarmDescription: "<i>desc</i>" })),
    identity,
    { unsubscribeUrl: UNSUBSCRIBE, events: { events: [hostile, ROOT_LOGIN], total: 12 } },
  );

  test("every text is escaped: no markup from an event, a name or a description gets through", () => {
    assert.doesNotMatch(mail.html, /<script/i);
    assert.doesNotMatch(mail.html, /<img/i);
    assert.doesNotMatch(mail.html, /<b>mallory/);
    assert.doesNotMatch(mail.html, /<i>desc/);
    assert.match(mail.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(mail.html, /evil&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(mail.html, /&#39; onmouseover=&#39;x/);
    assert.match(mail.html, /us-east-1&amp;copy;/);
    assert.match(mail.html, /Root &lt;usage&gt; &amp; &quot;friends&quot;/);
    // The only elements are the template's.
    const tags = new Set([...mail.html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1].toLowerCase()));
    assert.deepEqual([...tags].sort(), [
      "a",
      "body",
      "br",
      "h1",
      "h2",
      "head",
      "html",
      "meta",
      "p",
      "span",
      "strong",
      "table",
      "tbody",
      "td",
      "th",
      "thead",
      "title",
      "tr",
    ]);
  });

  test("a clean, accessible layout: lang, title, header cells with scope, inline styles only", () => {
    assert.match(mail.html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(
      mail.html,
      /<title>ALARM: &quot;Root &lt;usage&gt; &amp; &quot;friends&quot;&quot; in US East \(N\. Virginia\)<\/title>/,
    );
    assert.doesNotMatch(mail.html, /<style|<link|class=/);
    const headers = [...mail.html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(headers, ["Time (UTC)", "Event", "Identity", "Source IP", "Region", "Event ID"]);
    assert.match(mail.html, /<th scope="row"[^>]*>Reason for State Change<\/th>/);
    // The state is in words, not only in the banner's colour.
    assert.match(mail.html, /OK &rarr; <strong>ALARM<\/strong>/);
  });

  test("the events table comes before the details and says how many more there are", () => {
    const who = mail.html.indexOf("Who did it");
    const details = mail.html.indexOf("Alarm Details");
    assert.ok(who > 0 && who < details);
    assert.match(mail.html, /The 2 most recent of 12 matching events:/);
    assert.match(mail.html, /\.\.\. and 10 more events \(12 in total\)\./);
    assert.match(mail.html, /ConsoleLogin<br><span[^>]*>signin\.amazonaws\.com<\/span>/);
    assert.match(mail.html, /Root<br><span[^>]*>arn:aws:iam::111122223333:root<\/span>/);
  });

  test("the unsubscribe link is in the footer, its URL escaped in the attribute", () => {
    const href = esc(UNSUBSCRIBE);
    assert.ok(href.includes("&amp;Endpoint="));
    assert.ok(mail.html.includes(`<a href="${href}"`));
    assert.ok(mail.html.indexOf(`<a href="${href}"`) > mail.html.indexOf("State Change Actions"));
    assert.match(mail.html, /If you wish to stop receiving notifications from this topic/);
  });

  test("a URL that is not http(s) is never made a link", () => {
    const m = alarmEmail(transitionOf(rootAlarm()), identity, {
      unsubscribeUrl: "javascript:alert(1)",
      alarmUrl: "data:text/html,<script>x</script>",
    });
    assert.doesNotMatch(m.html, /href="javascript|href="data/);
    assert.match(m.html, /<span[^>]*>javascript:alert\(1\)<\/span>/);
    assert.doesNotMatch(m.html, /<script/);
  });
});

describe("subscriptionConfirmationEmail", () => {
  const topicArn = "arn:aws:sns:us-east-1:123456789012:security-alerts";
  const confirmUrl =
    "https://trailwatch.example.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:security-alerts&Token=2336412f37";
  const mail = subscriptionConfirmationEmail({ topicArn, confirmUrl });

  test("SNS's subject and wording, with the confirm link", () => {
    assert.equal(mail.subject, SUBSCRIPTION_CONFIRMATION_SUBJECT);
    assert.equal(mail.subject, "AWS Notification - Subscription Confirmation");
    assert.equal(
      mail.text,
      [
        "You have chosen to subscribe to the topic:",
        topicArn,
        "",
        "To confirm this subscription, click or visit the link below (If this was in error no action is necessary):",
        confirmUrl,
        "",
        "Please do not reply directly to this email.",
        "",
      ].join("\n"),
    );
    assert.ok(mail.html.includes(`<a href="${esc(confirmUrl)}"`));
    assert.match(mail.html, />Confirm subscription<\/a>/);
    assert.match(
      mail.html,
      /You have chosen to subscribe to the topic:<br><strong>arn:aws:sns:us-east-1:123456789012:security-alerts<\/strong>/,
    );
  });
});

describe("emailJsonBody", () => {
  test("the envelope as SNS pretty-prints it", () => {
    const envelope = {
      Type: "Notification",
      MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      TopicArn: "arn:aws:sns:us-east-1:123456789012:security-alerts",
      Subject: 'ALARM: "Root account usage" in US East (N. Virginia)',
      Message: '{"AlarmName":"Root account usage","Trigger":{"Threshold":1.0}}',
      Timestamp: "2022-11-10T16:25:41.560Z",
      SignatureVersion: "1",
      Signature: "EXAMPLE",
      SigningCertURL: "https://trailwatch.example.com/cert.pem",
      UnsubscribeURL: "https://trailwatch.example.com/?Action=Unsubscribe&SubscriptionArn=x",
    };
    assert.equal(
      emailJsonBody(envelope),
      [
        "{",
        '  "Type" : "Notification",',
        '  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",',
        '  "TopicArn" : "arn:aws:sns:us-east-1:123456789012:security-alerts",',
        '  "Subject" : "ALARM: \\"Root account usage\\" in US East (N. Virginia)",',
        '  "Message" : "{\\"AlarmName\\":\\"Root account usage\\",\\"Trigger\\":{\\"Threshold\\":1.0}}",',
        '  "Timestamp" : "2022-11-10T16:25:41.560Z",',
        '  "SignatureVersion" : "1",',
        '  "Signature" : "EXAMPLE",',
        '  "SigningCertURL" : "https://trailwatch.example.com/cert.pem",',
        '  "UnsubscribeURL" : "https://trailwatch.example.com/?Action=Unsubscribe&SubscriptionArn=x"',
        "}",
      ].join("\n"),
    );
    assert.deepEqual(JSON.parse(emailJsonBody(envelope)), envelope);
  });

  test("nested objects indent, arrays stay inline, empties are { } and [ ]", () => {
    const body = emailJsonBody({
      Type: "Notification",
      MessageAttributes: { team: { Type: "String", Value: "sec" }, none: {} },
      List: ["a", 1, true, null],
      Empty: [],
      Threshold: double(1),
      Skipped: undefined,
    });
    assert.equal(
      body,
      [
        "{",
        '  "Type" : "Notification",',
        '  "MessageAttributes" : {',
        '    "team" : {',
        '      "Type" : "String",',
        '      "Value" : "sec"',
        "    },",
        '    "none" : { }',
        "  },",
        '  "List" : [ "a", 1, true, null ],',
        '  "Empty" : [ ],',
        '  "Threshold" : 1.0',
        "}",
      ].join("\n"),
    );
  });
});
