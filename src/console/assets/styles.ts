/**
 * The console's stylesheet, served as /assets/console.css. Kept in a module (not a .css file) so that the
 * TypeScript build carries it to dist/ without a copy step. Colours meet WCAG AA contrast (4.5:1 for text)
 * and the focus ring is always visible.
 */
export const CONSOLE_CSS = `
:root { --fg:#1a1a1a; --muted:#4a4a4a; --bg:#fff; --line:#c8c8c8; --link:#0b57d0; --focus:#b35900;
  --alarm:#a50e0e; --ok:#1e6b34; --insufficient:#4d4d4d; --panel:#f4f5f7; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif;
  color:var(--fg); background:var(--bg); }
a { color:var(--link); }
:focus-visible { outline:3px solid var(--focus); outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.5em; }
.skip:focus { left:.5em; z-index:10; }
header { display:flex; flex-wrap:wrap; align-items:center; gap:1em; padding:.5em 1em; background:#16213a; color:#fff; }
header a { color:#fff; }
header .brand { font-weight:700; text-decoration:none; }
header nav ul, header .lang { display:flex; flex-wrap:wrap; gap:.25em 1em; list-style:none; margin:0; padding:0; }
header nav a[aria-current="page"] { font-weight:700; text-decoration-thickness:3px; }
header .tools { margin-left:auto; display:flex; gap:1em; align-items:center; }
header .lang span { font-weight:700; }
header .logout button { background:none; color:#fff; border:1px solid #fff; }
main { padding:1em 1.5em 3em; max-width:1400px; }
main:focus { outline:none; }
h1 { font-size:1.6em; margin:.3em 0 .6em; }
h2 { font-size:1.25em; margin:1.5em 0 .5em; }
table { border-collapse:collapse; width:100%; margin:.5em 0 1em; }
th, td { text-align:left; vertical-align:top; padding:.35em .6em; border-bottom:1px solid var(--line); }
th { background:var(--panel); }
tbody th { background:none; }
.nowrap { white-space:nowrap; }
td.msg, pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size:.9em; }
td.msg { word-break:break-all; min-width:28em; max-width:70em; }
fieldset.wide { max-width:none; }
.badge { display:inline-block; padding:.05em .6em; border-radius:1em; color:#fff; font-weight:600; white-space:nowrap; }
.badge-alarm { background:var(--alarm); }
.badge-ok { background:var(--ok); }
.badge-insufficient_data { background:var(--insufficient); }
.flash { background:#e8f1fe; border-left:4px solid var(--link); padding:.5em 1em; }
.error { background:#fdecea; border-left:4px solid var(--alarm); padding:.5em 1em; }
.hint { color:var(--muted); font-size:.9em; margin:.2em 0 .6em; }
form.stack label { display:block; font-weight:600; margin-top:.8em; }
form.stack input[type=text], form.stack input[type=number], form.stack input[type=email], form.stack input[type=password],
form.stack select, form.stack textarea { width:100%; max-width:48em; padding:.4em; font:inherit; border:1px solid #767676; border-radius:3px; }
textarea.pattern, input.pattern { font-family: ui-monospace, Menlo, Consolas, monospace; }
fieldset { border:1px solid var(--line); margin:1em 0; padding:.5em 1em 1em; max-width:52em; }
legend { font-weight:700; padding:0 .3em; }
button, .button { font:inherit; padding:.4em 1em; border-radius:3px; border:1px solid #0b3d91; background:#0b57d0; color:#fff;
  cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary, .button.secondary { background:#fff; color:#0b3d91; }
button.danger { background:var(--alarm); border-color:#6b0808; }
.row { display:flex; flex-wrap:wrap; gap:1em; align-items:flex-end; }
.row > div { flex: 0 1 auto; }
.inline { display:inline; }
.counts { font-weight:600; }
tr.match td { background:#eaf6ec; }
tr.nomatch td { color:var(--muted); }
.caret { white-space:pre; font-family: ui-monospace, Menlo, Consolas, monospace; }
.caret mark { background:#ffd7a8; color:#000; }
dl.kv { display:grid; grid-template-columns:max-content 1fr; gap:.2em 1em; }
dl.kv dt { font-weight:600; }
.graph { max-width:1000px; min-height:320px; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
`;
