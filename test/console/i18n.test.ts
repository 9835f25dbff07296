/** The catalogues, the language choice and the escaping template: the pieces every page relies on. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { html, jsonScript, raw } from "../../src/console/html.js";
import { en } from "../../src/console/i18n/en.js";
import { negotiate, translator } from "../../src/console/i18n/index.js";
import { ko } from "../../src/console/i18n/ko.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogues", () => {
  test("Korean has every English key, non-empty, with the same placeholders", () => {
    assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const k = ko[key as keyof typeof en];
      assert.ok(k.trim().length > 0, key);
      assert.deepEqual(placeholders(k), placeholders(text), key);
    }
  });

  test("Korean is Korean: labels of the pages are not left in English", () => {
    const hangul = /[\uac00-\ud7a3]/;
    const english = Object.entries(ko).filter(
      ([key, text]) => !hangul.test(text) && !/^(op\.|lang\.)/.test(key) && text !== "OK",
    );
    assert.deepEqual(english, []);
  });

  test("t() fills placeholders and leaves unknown ones visible", () => {
    const t = translator("ko");
    assert.equal(t("logGroups.retentionDays", { days: 90 }), "90일");
    assert.equal(translator("en")("logGroups.retentionDays"), "{days} days");
  });
});

describe("language choice (Accept-Language)", () => {
  for (const [header, lang] of [
    [undefined, "en"],
    ["ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"],
    ["en-US,en;q=0.9,ko;q=0.8", "en"],
    ["fr-FR,fr;q=0.9,ko;q=0.5", "ko"],
    ["ko;q=0, en", "en"],
    ["fr, de", "en"],
    ["KO", "ko"],
    ["en;q=0.2, ko;q=0.8", "ko"],
  ] as const) {
    test(`${header ?? "(none)"} → ${lang}`, () => assert.equal(negotiate(header), lang));
  }
});

describe("the html template", () => {
  test("escapes every interpolation, joins arrays, keeps nested templates and raw() as they are", () => {
    const name = `<a href="x" onclick='y'>&\``;
    const out = html`<p title="${name}">${name}${[html`<b>${"<i>"}</b>`, "<u>"]}${raw("<br>")}${null}${false}${0}</p>`;
    assert.equal(
      out.text,
      `<p title="&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;">&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;<b>&lt;i&gt;</b>&lt;u&gt;<br>0</p>`,
    );
  });

  test("JSON for a script block cannot close the block", () => {
    const text = jsonScript({ s: "</script><script>alert(1)</script>\u2028" }).text;
    assert.ok(!text.includes("</script"));
    assert.deepEqual(JSON.parse(text), { s: "</script><script>alert(1)</script>\u2028" });
  });
});
