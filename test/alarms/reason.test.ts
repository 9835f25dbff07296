/**
 * StateReason and StateReasonData against texts AWS produced (EventBridge samples in AWS docs, SNS messages
 * and DescribeAlarms/DescribeAlarmHistory output captured from real accounts). Each case rebuilds the alarm
 * and the datapoints AWS saw and expects AWS's text to the character.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Datapoint,
  type EvaluatedAlarmConfig,
  evaluateMetricAlarm,
  periodWindows,
} from "../../src/alarms/evaluate.js";
import { INITIAL_ALARM_REASON, insufficientDataReason, thresholdReason } from "../../src/alarms/reason.js";
import { reasonTimestamp } from "../../src/alarms/time-format.js";
import type { AlarmStateValue } from "../../src/store/types.js";

function config(over: Partial<EvaluatedAlarmConfig>): EvaluatedAlarmConfig {
  return {
    namespace: "CloudTrailMetrics",
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "missing",
    statistic: "Sum",
    ...over,
  };
}

/** The evaluation range at `now`, with values by window start ("HH:MM" or "HH:MM:SS" UTC) and the rest missing. */
function range(
  c: EvaluatedAlarmConfig,
  now: number,
  values: Record<string, number | [number, number]>,
): Datapoint[] {
  return periodWindows(c, now).map((w) => {
    const hhmmss = new Date(w.start).toISOString().slice(11, 19);
    const v = values[hhmmss] ?? values[hhmmss.slice(0, 5)];
    if (v === undefined) return { timestamp: w.start, value: null };
    const [value, sampleCount] = Array.isArray(v) ? v : [v, 1];
    return { timestamp: w.start, value, sampleCount };
  });
}

function run(
  c: EvaluatedAlarmConfig,
  nowIso: string,
  values: Record<string, number | [number, number]>,
  before: AlarmStateValue = "INSUFFICIENT_DATA",
) {
  const now = Date.parse(nowIso);
  return evaluateMetricAlarm(c, range(c, now, values), now, {
    stateValue: before,
    stateReason: INITIAL_ALARM_REASON,
  });
}

describe("M out of N reasons (DatapointsToAlarm set)", () => {
  test("EventBridge sample: 1 of 1, greater than, 5-minute period", () => {
    const c = config({
      period: 300,
      datapointsToAlarm: 1,
      threshold: 50,
      comparisonOperator: "GreaterThanThreshold",
      statistic: "Average",
    });
    const r = run(c, "2019-10-02T17:04:40.985Z", { "16:59": 99.50160229693434 });
    assert.equal(r.stateValue, "ALARM");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    // AWS's 2019 sample had no evaluatedDatapoints yet; the rest is the sample's text.
    assert.ok(
      r.stateReasonData?.startsWith(
        '{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0,',
      ),
      r.stateReasonData,
    );
  });

  test("EventBridge sample: back to OK says `not`", () => {
    const c = config({
      period: 300,
      datapointsToAlarm: 1,
      threshold: 50,
      comparisonOperator: "GreaterThanThreshold",
      statistic: "Average",
    });
    const r = run(c, "2019-10-01T13:51:12.000Z", { "13:46": 0.0666851903306472 }, "ALARM");
    assert.equal(r.stateValue, "OK");
    assert.equal(r.changed, true);
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
    );
  });

  test("2 of 2 back to OK: newest first in the reason, oldest first in recentDatapoints, minimum N-M+1", () => {
    const c = config({
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 40,
      comparisonOperator: "GreaterThanThreshold",
      statistic: "Average",
    });
    const r = run(
      c,
      "2021-04-13T16:06:38.066Z",
      { "16:03": 0.01575357001274824, "16:04": 0.01758096118768056 },
      "ALARM",
    );
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 2 out of the last 2 datapoints [0.01758096118768056 (13/04/21 16:04:00), 0.01575357001274824 (13/04/21 16:03:00)] were not greater than the threshold (40.0) (minimum 1 datapoint for ALARM -> OK transition).",
    );
    assert.equal(
      r.stateReasonData,
      '{"version":"1.0","queryDate":"2021-04-13T16:06:38.066+0000","startDate":"2021-04-13T16:03:00.000+0000","statistic":"Average","period":60,"recentDatapoints":[0.01575357001274824,0.01758096118768056],"threshold":40.0,"evaluatedDatapoints":[{"timestamp":"2021-04-13T16:04:00.000+0000","sampleCount":1.0,"value":0.01758096118768056}]}',
    );
  });

  test("3 of 3 with M = 1: every breaching point listed, one deciding point in evaluatedDatapoints", () => {
    const c = config({
      evaluationPeriods: 3,
      datapointsToAlarm: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      statistic: undefined,
    });
    const now = Date.parse("2022-11-08T11:26:05.399Z");
    const points = range(c, now, { "11:23": 20000, "11:24": 20000, "11:25": 20000 }).map(
      ({ timestamp, value }) => ({ timestamp, value }),
    );
    const r = evaluateMetricAlarm(c, points, now, {
      stateValue: "INSUFFICIENT_DATA",
      stateReason: INITIAL_ALARM_REASON,
    });
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 3 out of the last 3 datapoints [20000.0 (08/11/22 11:25:00), 20000.0 (08/11/22 11:24:00), 20000.0 (08/11/22 11:23:00)] were greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    assert.equal(
      r.stateReasonData,
      '{"version":"1.0","queryDate":"2022-11-08T11:26:05.399+0000","startDate":"2022-11-08T11:23:00.000+0000","period":60,"recentDatapoints":[20000.0,20000.0,20000.0],"threshold":0.0,"evaluatedDatapoints":[{"timestamp":"2022-11-08T11:25:00.000+0000","value":20000.0}]}',
    );
  });

  test("3 of 3 over 5-minute periods, greater than or equal to", () => {
    const c = config({ period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 1 });
    const r = run(c, "2021-12-06T14:25:39.681Z", { "14:10": 1, "14:15": 1, "14:20": 1 }, "OK");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 3 out of the last 3 datapoints [1.0 (06/12/21 14:20:00), 1.0 (06/12/21 14:15:00), 1.0 (06/12/21 14:10:00)] were greater than or equal to the threshold (1.0) (minimum 3 datapoints for OK -> ALARM transition).",
    );
  });

  test("filled periods are named before the minimum", () => {
    const c = config({ evaluationPeriods: 20, datapointsToAlarm: 1, treatMissingData: "notBreaching" });
    const r = run(c, "2024-03-16T12:16:45.770Z", { "12:15": 613 }, "OK");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 out of the last 20 datapoints [613.0 (16/03/24 12:15:00)] was greater than or equal to the threshold (1.0) and 19 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for OK -> ALARM transition).",
    );
  });

  test("premature alarm: one breach, minimum 3 (the form AWS users report)", () => {
    const c = config({
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
    });
    const r = run(c, "2026-01-10T10:05:10Z", { "10:02": 0 }, "OK");
    assert.equal(r.stateValue, "ALARM");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 out of the last 3 datapoints [0.0 (10/01/26 10:02:00)] was less than the threshold (1.0) (minimum 3 datapoints for OK -> ALARM transition).",
    );
  });
});

describe("classic reasons (no DatapointsToAlarm)", () => {
  test("1 datapoint, 30-second period, with unit and sample count", () => {
    const c = config({
      period: 30,
      threshold: 2,
      comparisonOperator: "GreaterThanThreshold",
      statistic: "Average",
      unit: "Seconds",
      treatMissingData: "notBreaching",
    });
    const r = run(c, "2023-10-26T16:42:35.120Z", { "16:42:00": [21.5, 2] });
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 datapoint [21.5 (26/10/23 16:42:00)] was greater than the threshold (2.0).",
    );
    assert.equal(
      r.stateReasonData,
      '{"version":"1.0","queryDate":"2023-10-26T16:42:35.120+0000","startDate":"2023-10-26T16:42:00.000+0000","unit":"Seconds","statistic":"Average","period":30,"recentDatapoints":[21.5],"threshold":2.0,"evaluatedDatapoints":[{"timestamp":"2023-10-26T16:42:00.000+0000","sampleCount":2.0,"value":21.5}]}',
    );
  });

  test("1 datapoint not greater than or equal to, with unit Count and statistic Minimum", () => {
    const c = config({ statistic: "Minimum", unit: "Count" });
    const r = run(c, "2023-04-07T09:09:15.917Z", { "09:08": 0 }, "ALARM");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 datapoint [0.0 (07/04/23 09:08:00)] was not greater than or equal to the threshold (1.0).",
    );
    assert.equal(
      r.stateReasonData,
      '{"version":"1.0","queryDate":"2023-04-07T09:09:15.917+0000","startDate":"2023-04-07T09:08:00.000+0000","unit":"Count","statistic":"Minimum","period":60,"recentDatapoints":[0.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2023-04-07T09:08:00.000+0000","sampleCount":1.0,"value":0.0}]}',
    );
  });

  test("3 datapoints, plural, periods aligned to the evaluation minute (180 s)", () => {
    const c = config({
      period: 180,
      evaluationPeriods: 3,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
    const r = run(c, "2026-08-19T05:53:32.119Z", { "05:44": 1, "05:47": 3, "05:50": 2 }, "OK");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 3 datapoints [2.0 (19/08/26 05:50:00), 3.0 (19/08/26 05:47:00), 1.0 (19/08/26 05:44:00)] were greater than the threshold (0.0).",
    );
  });

  test("a real point and filled periods: `and 7 missing datapoints were treated as [Breaching]`", () => {
    const c = config({
      period: 900,
      evaluationPeriods: 8,
      threshold: 0,
      comparisonOperator: "LessThanOrEqualToThreshold",
      treatMissingData: "breaching",
    });
    const r = run(c, "2026-08-19T09:51:49.318Z", { "09:36": 2 }, "ALARM");
    assert.equal(r.stateValue, "OK");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: 1 datapoint [2.0 (19/08/26 09:36:00)] was not less than or equal to the threshold (0.0) and 7 missing datapoints were treated as [Breaching].",
    );
  });

  test("no datapoints at all, breaching: plural periods", () => {
    const c = config({
      period: 10,
      evaluationPeriods: 2,
      threshold: 2,
      comparisonOperator: "GreaterThanThreshold",
      statistic: "Average",
      unit: "Seconds",
      treatMissingData: "breaching",
    });
    const r = run(c, "2023-09-12T11:56:40Z", {});
    assert.equal(r.stateValue, "ALARM");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].",
    );
    assert.equal(
      r.stateReasonData,
      '{"version":"1.0","queryDate":"2023-09-12T11:56:40.000+0000","unit":"Seconds","statistic":"Average","period":10,"recentDatapoints":[],"threshold":2.0,"evaluatedDatapoints":[{"timestamp":"2023-09-12T11:56:30.000+0000"},{"timestamp":"2023-09-12T11:56:20.000+0000"}]}',
    );
  });

  test("no datapoints at all, notBreaching: singular period", () => {
    const c = config({
      period: 30,
      threshold: 2,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    const r = run(c, "2023-10-26T16:50:05Z", {}, "ALARM");
    assert.equal(r.stateValue, "OK");
    assert.equal(
      r.stateReason,
      "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
    );
  });
});

describe("INSUFFICIENT_DATA and creation", () => {
  test("`5 datapoints were unknown`, every period listed newest first without values", () => {
    const c = config({
      evaluationPeriods: 5,
      threshold: 5,
      comparisonOperator: "GreaterThanThreshold",
      statistic: "Average",
    });
    const r = run(c, "2023-08-04T12:31:29.591Z", {}, "OK");
    assert.equal(r.stateValue, "INSUFFICIENT_DATA");
    assert.equal(r.stateReason, "Insufficient Data: 5 datapoints were unknown.");
    assert.equal(
      r.stateReasonData,
      '{"version":"1.0","queryDate":"2023-08-04T12:31:29.591+0000","statistic":"Average","period":60,"recentDatapoints":[],"threshold":5.0,"evaluatedDatapoints":[{"timestamp":"2023-08-04T12:30:00.000+0000"},{"timestamp":"2023-08-04T12:29:00.000+0000"},{"timestamp":"2023-08-04T12:28:00.000+0000"},{"timestamp":"2023-08-04T12:27:00.000+0000"},{"timestamp":"2023-08-04T12:26:00.000+0000"}]}',
    );
  });

  test("singular: `1 datapoint was unknown`", () => {
    assert.equal(insufficientDataReason(1), "Insufficient Data: 1 datapoint was unknown.");
  });

  test("the creation reason", () => {
    assert.equal(INITIAL_ALARM_REASON, "Unchecked: Initial alarm creation");
  });
});

describe("number and date formats", () => {
  test("thresholds and values print as Java doubles", () => {
    const c = config({ threshold: 1e7, datapointsToAlarm: 1 });
    const r = run(c, "2026-11-28T12:06:00Z", { "12:05": 12345678.5 });
    assert.match(
      r.stateReason,
      /\[1\.23456785E7 \(28\/11\/26 12:05:00\)\] was greater than or equal to the threshold \(1\.0E7\)/,
    );
    assert.match(r.stateReasonData ?? "", /"threshold":1\.0E7,/);
  });

  test("dates are dd/MM/yy HH:mm:ss in UTC", () => {
    assert.equal(reasonTimestamp(Date.UTC(2026, 10, 28, 12, 5, 0)), "28/11/26 12:05:00");
    assert.equal(reasonTimestamp(Date.UTC(2009, 0, 2, 3, 4, 5)), "02/01/09 03:04:05");
  });

  test("an OK with only a young breach names the breach and what ALARM needs", () => {
    const text = thresholdReason({
      state: "OK",
      evaluated: [{ timestamp: Date.UTC(2026, 0, 1, 0, 4), value: 10, breaching: true }],
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
    });
    assert.equal(
      text,
      "Threshold Crossed: 1 out of the last 3 datapoints [10.0 (01/01/26 00:04:00)] was greater than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).",
    );
  });

  test("a reason never exceeds 1023 characters: the oldest datapoints are left out", () => {
    const evaluated = Array.from({ length: 200 }, (_, i) => ({
      timestamp: Date.UTC(2026, 0, 1) + i * 60_000,
      value: 123456.789 + i,
      breaching: true,
    }));
    const text = thresholdReason({
      state: "ALARM",
      evaluated,
      evaluationPeriods: 200,
      datapointsToAlarm: 200,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
    });
    assert.ok(text.length <= 1023, `length ${text.length}`);
    assert.match(
      text,
      /^Threshold Crossed: 200 out of the last 200 datapoints \[123655\.789 \(01\/01\/26 03:19:00\), /,
    );
    assert.match(text, /\(minimum 200 datapoints for OK -> ALARM transition\)\.$/);
  });
});

describe("state handling around reasons", () => {
  test("ignore with no data keeps the previous reason and data untouched", () => {
    const c = config({ treatMissingData: "ignore" });
    const now = Date.parse("2026-11-28T12:06:00Z");
    const r = evaluateMetricAlarm(c, range(c, now, {}), now, {
      stateValue: "ALARM",
      stateReason: "old",
      stateReasonData: '{"x":1}',
    });
    assert.deepEqual(r, {
      stateValue: "ALARM",
      stateReason: "old",
      stateReasonData: '{"x":1}',
      changed: false,
      retained: true,
    });
  });

  test("an unchanged state is reported as not changed", () => {
    const c = config({});
    const r = run(c, "2026-11-28T12:06:00Z", { "12:05": 3 }, "ALARM");
    assert.equal(r.stateValue, "ALARM");
    assert.equal(r.changed, false);
    assert.equal(r.retained, false);
  });
});
