/**
 * The seed document's flow, in a real Chromium against the real server: log in, create the CloudTrail log
 * group, create the guide's three metric filters with the wizard (testing each pattern live against the
 * group's events, and seeing a bad pattern rejected at its position), create the three alarms with the
 * guide's values and a new notification list, confirm the subscription through the link in the mail that
 * a real SMTP server receives, ingest a root sign-in, and watch the alarm turn ALARM on the overview and the
 * notification arrive. Then the first steps again in Korean.
 *
 * Screenshots of every page are taken on the way: into $TRAILWATCH_SCREENSHOTS when set (the committed ones:
 * `TRAILWATCH_SCREENSHOTS=docs/screenshots`), else into a temporary folder.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { compileFilterPattern } from "../../src/pattern/index.js";
import {
  CHROMIUM,
  type ConsoleServer,
  GROUP,
  launchBrowser,
  PASSWORD,
  STREAM,
  sampleRecord,
  startConsole,
  type TestBrowser,
} from "./helpers.js";

const SEED = [
  {
    filterName: "RootAccountUsage",
    pattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    metricName: "RootAccountUsageCount",
    alarmName: "Root account usage",
  },
  {
    filterName: "ApiActivityWithoutMFA",
    pattern: '{ $.userIdentity.sessionContext.attributes.mfaAuthenticated != "true" }',
    metricName: "ApiActivityWithoutMFACount",
    alarmName: "API activity without MFA",
  },
  {
    filterName: "ConsoleSignInWithoutMfa",
    pattern: '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }',
    metricName: "ConsoleSignInWithoutMfaCount",
    alarmName: "Console sign-in without MFA",
  },
];
const TOPIC = "security-alerts";
const EMAIL = "security-team@example.test";

// CI installs Debian's chromium (.ci/run) and must run the walk; elsewhere, say plainly why it did not run.
const noBrowser =
  existsSync(CHROMIUM) || process.env.CI === "true" ? false : `no ${CHROMIUM}: apt-get install -y chromium`;

const shotsDir = process.env.TRAILWATCH_SCREENSHOTS
  ? resolve(process.env.TRAILWATCH_SCREENSHOTS)
  : mkdtempSync(join(tmpdir(), "trailwatch-shots-"));
mkdirSync(shotsDir, { recursive: true });

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

let c: ConsoleServer;
let b: TestBrowser;
/** Browser console errors (CSP violations, script errors): none may happen. */
const pageErrors: string[] = [];
/** The events in the group before any filter exists: the pattern tester shows them, no metric counts them. */
let earlier: { timestamp: number; message: string }[];

before(async () => {
  if (noBrowser) return;
  c = await startConsole({ console: { password: PASSWORD } });
  b = await launchBrowser();
});

after(async () => {
  await b?.close();
  await c?.close();
  if (!process.env.TRAILWATCH_SCREENSHOTS) rmSync(shotsDir, { recursive: true, force: true });
});

async function newPage(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await b.browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on("console", (m) => {
    // Failed loads are checked by URL below (a wrong password is meant to answer 401).
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
  page.on("response", (r) => {
    const expected = r.status() === 401 && r.request().method() === "POST" && r.url().endsWith("/login");
    if (r.status() >= 400 && !expected) pageErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  return { context, page };
}

async function login(page: Page, label: string, button: string): Promise<void> {
  await page.getByLabel(label).fill(PASSWORD);
  await page.getByRole("button", { name: button }).click();
  await page.waitForURL(`${c.base}/`);
}

describe("the seed's console flow (Chromium)", { skip: noBrowser }, () => {
  test("English: filters, alarms, a confirmed e-mail list, and a root sign-in turning the alarm", async () => {
    const { context, page } = await newPage("en-US");
    try {
      await page.goto(`${c.base}/`);
      await page.waitForURL(/\/console\/login\?next=/);
      await shot(page, "login");
      await page.getByLabel("Password or token").fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "Wrong password or token." }).waitFor();
      await login(page, "Password or token", "Sign in");

      // The log group the guide says to pick ("the log group you created for CloudTrail").
      await page.getByRole("link", { name: "Log groups", exact: true }).click();
      await page.getByLabel("Name").fill(GROUP);
      await page.getByRole("button", { name: "Create log group" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: `Log group ${GROUP} created.` })
        .waitFor();

      const t0 = Date.now() - 2 * 3_600_000;
      earlier = [
        sampleRecord("console-sign-ins.json", 0, t0),
        sampleRecord("console-sign-ins.json", 1, t0 + 1000),
      ];
      await c.server.ctx.engine.ingest(GROUP, STREAM, earlier);

      for (const [i, f] of SEED.entries()) {
        await page.goto(`${c.base}/log-groups/detail?name=${encodeURIComponent(GROUP)}`);
        await page.getByRole("link", { name: "Create metric filter" }).first().click();
        await page.getByRole("heading", { name: "Step 1 of 2: Define Logs Metric Filter" }).waitFor();
        if (i === 0) {
          // A pattern AWS rejects: the message, and the place it went wrong.
          await page.getByLabel("Filter Pattern").fill('{ $.userIdentity.type = "Root" && }');
          const err = page.locator("#pattern-error");
          await err.waitFor();
          assert.match((await err.textContent()) ?? "", /The pattern is not valid/);
          assert.equal(await err.locator(".caret mark").count(), 1);
          await shot(page, "wizard-pattern-error");
        }
        await page.getByLabel("Filter Pattern").fill(f.pattern);
        // The live test against the group's events: the same answer the engine gives.
        const compiled = compileFilterPattern(f.pattern);
        const expected = earlier.filter((e) => compiled.test(e.message)).length;
        // Results are tagged with the pattern they answer, so a stale answer cannot pass for this one.
        const results = page.locator(`#test-result [data-tested="${f.pattern.replace(/"/g, '\\"')}"]`);
        await results.waitFor();
        assert.equal(
          (await results.locator(".counts").textContent())?.trim(),
          `${expected} of ${earlier.length} events match.`,
        );
        assert.equal(await page.locator("#test-result tr.match").count(), expected);
        if (f.filterName === "ConsoleSignInWithoutMfa") {
          // Extracted values: what the pattern's selectors read, marked in the event.
          const row = page.locator("#test-result tr.match").first();
          assert.match(
            (await row.locator("dl.kv").textContent()) ?? "",
            /\$\.additionalEventData\.MFAUsed\s*No/,
          );
          assert.ok((await row.locator("mark").allInnerTexts()).includes('"ConsoleLogin"'));
          await shot(page, "wizard-step1-test");
        }
        await page.getByRole("button", { name: "Assign Metric" }).click();
        await page
          .getByRole("heading", { name: "Step 2 of 2: Create Metric Filter and Assign a Metric" })
          .waitFor();
        await page.getByLabel("Filter Name", { exact: true }).fill(f.filterName);
        await page.getByLabel("Metric Namespace", { exact: true }).fill("CloudTrailMetrics");
        await page.getByLabel("Metric Name", { exact: true }).fill(f.metricName);
        await page.getByLabel("Metric Value", { exact: true }).fill("1");
        await page.getByText("Show advanced metric settings").click();
        await page.getByLabel("Default Value", { exact: true }).waitFor();
        if (i === 0) await shot(page, "wizard-step2");
        await page.getByRole("button", { name: "Create Filter" }).click();
        await page
          .getByRole("status")
          .filter({ hasText: `Metric filter ${f.filterName} saved.` })
          .waitFor();
        if (i === 2) await shot(page, "metric-filters");

        // "[Filters for Log_Group_Name] page: choose [Create Alarm] next to the filter name".
        await page
          .locator(`tr[data-filter="${f.filterName}"]`)
          .getByRole("link", { name: "Create alarm" })
          .click();
        await page.getByLabel("Name", { exact: true }).fill(f.alarmName);
        await page.getByLabel("Threshold", { exact: true }).fill("1");
        await page.getByLabel("for (consecutive periods)").fill("1");
        await page.getByLabel("Period", { exact: true }).selectOption({ label: "5 minutes" });
        await page.getByLabel("Statistic", { exact: true }).selectOption("Sum");
        if (i === 0) {
          await page.getByLabel("New list").check();
          await page.getByLabel("Topic name").fill(TOPIC);
          await page.getByLabel("Email list").fill(EMAIL);
          await shot(page, "alarm-form");
        } else {
          await page.getByLabel("Select a notification list").check();
          await page.getByLabel(TOPIC).check();
        }
        await page.getByRole("button", { name: "Create Alarm" }).click();
        await page.getByRole("heading", { name: `Alarm ${f.alarmName}` }).waitFor();
        const flash = (await page.getByRole("status").first().textContent()) ?? "";
        assert.match(flash, new RegExp(`Alarm ${f.alarmName} saved.`));
        if (i === 0) assert.match(flash, new RegExp(`Confirmation mails queued for: ${EMAIL}`));
      }

      // Every alarm exists as the API sees it, with the guide's values and the topic as its action.
      const described = await c.server.ctx.engine.cloudwatch.describeAlarms({});
      const byName = new Map(described.MetricAlarms.map((a) => [a.AlarmName, a]));
      for (const f of SEED) {
        const a = byName.get(f.alarmName);
        assert.ok(a && "MetricName" in a, f.alarmName);
        assert.deepEqual(
          [
            a.MetricName,
            a.Namespace,
            a.Statistic,
            a.Period,
            a.EvaluationPeriods,
            a.Threshold,
            a.ComparisonOperator,
          ],
          [f.metricName, "CloudTrailMetrics", "Sum", 300, 1, 1, "GreaterThanOrEqualToThreshold"],
        );
        assert.deepEqual(a.AlarmActions, [c.server.ctx.topics.topicArn(TOPIC)]);
      }

      // The confirmation mail, and its link followed in the browser.
      const confirmation = await c.smtp.waitFor(
        (m) => m.to.includes(EMAIL) && /Subscription Confirmation/.test(m.parsed.subject ?? ""),
      );
      const link = /(https?:\/\/\S+Action=ConfirmSubscription\S+)/.exec(confirmation.parsed.text ?? "")?.[1];
      assert.ok(link, "confirmation link in the mail");
      await page.goto(link);
      await page.getByText("Subscription confirmed!").first().waitFor();

      await page.goto(`${c.base}/topics`);
      assert.equal(
        await page.locator(`tr[data-endpoint="${EMAIL}"] [data-status]`).getAttribute("data-status"),
        "confirmed",
      );
      await page.getByRole("button", { name: "Send a test message" }).click();
      await page.getByRole("status").filter({ hasText: "Test message" }).waitFor();
      await c.smtp.waitFor((m) => m.to.includes(EMAIL) && m.parsed.subject === "trailwatch test message");
      await shot(page, "topics");
      await page.locator(`tr[data-endpoint="${EMAIL}"]`).getByRole("link", { name: "Delivery log" }).click();
      await page.locator("li").filter({ hasText: "Delivered" }).first().waitFor();
      await shot(page, "delivery-log");

      // A root sign-in now: the overview shows the alarm within seconds, without a reload.
      await page.goto(`${c.base}/`);
      const rootRow = page.locator(`tr[data-alarm="Root account usage"]`);
      assert.equal(await rootRow.locator('[data-state="ALARM"]').count(), 0);
      const ingestedAt = Date.now();
      await c.server.ctx.engine.ingest(GROUP, STREAM, [
        sampleRecord("compromised-root.json", 0, ingestedAt, { eventID: "root-sign-in-now" }),
      ]);
      await rootRow.locator('[data-state="ALARM"]').waitFor({ timeout: 10_000 });
      const seenAfter = Date.now() - ingestedAt;
      assert.ok(seenAfter < 10_000, `ALARM shown after ${seenAfter} ms`);
      await page
        .locator("#overview-live .counts")
        .first()
        .filter({ hasText: /[1-9] in alarm/ })
        .waitFor();
      const alarmMail = await c.smtp.waitFor(
        (m) => m.to.includes(EMAIL) && /^ALARM: "Root account usage"/.test(m.parsed.subject ?? ""),
      );
      assert.match(alarmMail.parsed.text ?? "", /has entered the ALARM state/);
      await page.locator("#overview-live table.deliveries").waitFor();
      await shot(page, "overview");

      // The alarm's page: the graph with its threshold, the history, and the event that caused it.
      await rootRow.getByRole("link", { name: "Root account usage" }).click();
      await page.locator('#graph[data-drawn="true"]').waitFor();
      const causes = page.locator("table.causes");
      await causes.waitFor();
      const causeText = (await causes.textContent()) ?? "";
      assert.match(causeText, /ConsoleLogin/);
      assert.match(causeText, /71\.253\.251\.71/);
      assert.match(causeText, /arn:aws:iam::493859302102:root/);
      await shot(page, "alarm-detail");

      await page.getByRole("link", { name: "Alarms", exact: true }).click();
      await page.getByLabel("State").selectOption("ALARM");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.locator('#alarms-live tr[data-alarm="Root account usage"]').waitFor();
      await shot(page, "alarms");

      // The log group: streams, newest events, and a search by filter pattern.
      await page.goto(`${c.base}/log-groups/detail?name=${encodeURIComponent(GROUP)}`);
      await page.getByLabel("Filter pattern").fill('{ $.userIdentity.type = "Root" }');
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText("1 matching events among 3 searched").waitFor();
      await shot(page, "log-group");
      await page.goto(`${c.base}/log-groups`);
      await shot(page, "log-groups");
      await page.goto(`${c.base}/packs`);
      await shot(page, "packs");

      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test("Korean: the first steps of the guide, in the guide's language", async () => {
    const { context, page } = await newPage("ko-KR");
    try {
      await page.goto(`${c.base}/`);
      await page.getByRole("heading", { name: "로그인" }).waitFor();
      await shot(page, "ko-login");
      await login(page, "비밀번호 또는 토큰", "로그인");
      await page.getByRole("heading", { name: "개요" }).waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "ko");

      await page.getByRole("link", { name: "로그 그룹", exact: true }).click();
      await page.getByRole("link", { name: GROUP }).click();
      await page.getByRole("link", { name: "지표 필터 생성" }).first().click();
      await page.getByRole("heading", { name: "1/2단계: 로그 지표 필터 정의" }).waitFor();
      await page.getByLabel("필터 패턴").fill('{ $.eventName = "ConsoleLogin" }');
      await page.locator('#test-result [data-tested="{ $.eventName = \\"ConsoleLogin\\" }"]').waitFor();
      await page
        .locator("#test-result .counts")
        .filter({ hasText: "이벤트 3개 중 3개가 일치합니다." })
        .waitFor();
      await shot(page, "ko-wizard-step1");
      await page.getByRole("button", { name: "지표 할당" }).click();
      await page.getByLabel("필터 이름", { exact: true }).fill("ConsoleLogins");
      await page.getByLabel("지표 네임스페이스", { exact: true }).fill("CloudTrailMetrics");
      await page.getByLabel("지표 이름", { exact: true }).fill("ConsoleLoginCount");
      await page.getByLabel("지표 값", { exact: true }).fill("1");
      await page.getByRole("button", { name: "필터 생성" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: "지표 필터 ConsoleLogins을(를) 저장했습니다." })
        .waitFor();

      await page.locator('tr[data-filter="ConsoleLogins"]').getByRole("link", { name: "경보 생성" }).click();
      await page.getByRole("heading", { name: "경보 생성" }).waitFor();
      await page.getByLabel("이름", { exact: true }).fill("콘솔 로그인");
      await page.getByLabel("임계값", { exact: true }).fill("1");
      await page.getByLabel("기간", { exact: true }).selectOption({ label: "5분" });
      await shot(page, "ko-alarm-form");
      await page.getByRole("button", { name: "경보 생성" }).click();
      await page.getByRole("heading", { name: "경보 콘솔 로그인" }).waitFor();
      await shot(page, "ko-alarm-detail");

      await page.goto(`${c.base}/`);
      await page.locator('tr[data-alarm="Root account usage"]').getByText("경보", { exact: true }).waitFor();
      await shot(page, "ko-overview");

      // The switch: English from here on, whatever the browser asks for.
      await page.getByRole("link", { name: "English" }).click();
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      await page.goto(`${c.base}/alarms`);
      await page.getByRole("heading", { name: "Alarms" }).waitFor();
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
