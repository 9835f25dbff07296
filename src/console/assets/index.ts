/**
 * Static files of the console: htmx and uPlot straight from node_modules (resolved, not copied, so the
 * versions are exactly the installed ones), and the console's own stylesheet and graph script. Served with
 * a day of caching; the set is fixed, so no path from the request ever reaches the file system.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { GRAPH_JS } from "./graph-script.js";
import { CONSOLE_CSS } from "./styles.js";

const require = createRequire(import.meta.url);

interface Asset {
  type: string;
  body: () => Buffer;
}

function vendored(specifier: string, type: string): Asset {
  let cached: Buffer | undefined;
  return {
    type,
    body: () => {
      cached ??= readFileSync(require.resolve(specifier));
      return cached;
    },
  };
}

function inline(text: string, type: string): Asset {
  const buffer = Buffer.from(text, "utf8");
  return { type, body: () => buffer };
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

export const ASSETS: Readonly<Record<string, Asset>> = {
  "htmx.min.js": vendored("htmx.org/dist/htmx.min.js", JS),
  "uPlot.iife.min.js": vendored("uplot/dist/uPlot.iife.min.js", JS),
  "uPlot.min.css": vendored("uplot/dist/uPlot.min.css", CSS),
  "console.css": inline(CONSOLE_CSS, CSS),
  "graph.js": inline(GRAPH_JS, JS),
};
