/**
 * Plain column tables for people (`--output table`): a header row, one row per record, columns padded to
 * their widest value and cut to fit the terminal. Values are escaped first (log data is attacker-influenced;
 * see terminal-text.ts), and colour, when on, is applied after padding so that widths stay right.
 */
import { printable, truncate } from "./terminal-text.js";

export interface Column<R> {
  header: string;
  value(row: R): string;
  /** Longest the column may get before its values are cut with "…". */
  max?: number;
  /** The column that gives way first when the table is wider than the terminal (the last such one). */
  flex?: boolean;
  /** Narrowest it may be cut to when the table is too wide (default 8, never under the header). */
  min?: number;
  /** Never cut (states, times). */
  fixed?: boolean;
  /** Left out when the table does not fit the terminal. */
  optional?: boolean;
  /** Right-aligned (numbers). */
  right?: boolean;
  /** Colour for a cell, given its raw value; applied only when colour is on. */
  paint?(value: string, padded: string): string;
}

export interface GridOptions {
  width: number;
  color: boolean;
}

const MIN_FLEX = 24;
const GAP = "  ";

function charLength(text: string): number {
  return Array.from(text).length;
}

/** Renders rows under the columns' headers; the caller handles the no-row case. */
export function renderGrid<R>(
  rows: readonly R[],
  columns: readonly Column<R>[],
  options: GridOptions,
): string {
  const cells = rows.map((r) => columns.map((c) => printable(c.value(r))));
  const natural = columns.map((c, i) =>
    Math.min(
      c.max ?? Number.POSITIVE_INFINITY,
      Math.max(charLength(c.header), ...cells.map((row) => charLength(row[i]))),
    ),
  );
  const least = columns.map((c, i) =>
    c.fixed
      ? natural[i]
      : Math.min(natural[i], Math.max(charLength(c.header), c.flex ? MIN_FLEX : (c.min ?? 8))),
  );
  // Optional columns go first (the last one first) when the table does not fit as it is.
  const shown = columns.map(() => true);
  const width = (w: number[]) =>
    w.reduce((sum, n, i) => (shown[i] ? sum + n + GAP.length : sum), 0) - GAP.length;
  for (let i = columns.length - 1; i >= 0 && width(natural) > options.width; i--) {
    if (columns[i].optional) shown[i] = false;
  }
  // Then the flex column gives way, then the widest of the others in turn, down to their least width.
  const widths = [...natural];
  const flex = columns.findLastIndex((c, i) => c.flex && shown[i]);
  if (flex >= 0 && width(widths) > options.width)
    widths[flex] = Math.max(least[flex], widths[flex] - (width(widths) - options.width));
  while (width(widths) > options.width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (shown[i] && widths[i] > least[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break;
    widths[widest]--;
  }
  const line = (values: string[], paint?: (i: number, raw: string, padded: string) => string): string => {
    const parts = values.flatMap((v, i) => {
      if (!shown[i]) return [];
      const cut = truncate(v, widths[i]);
      const pad = " ".repeat(Math.max(0, widths[i] - charLength(cut)));
      const padded = columns[i].right ? pad + cut : cut + pad;
      return [paint ? paint(i, v, padded) : padded];
    });
    return `${parts.join(GAP).trimEnd()}\n`;
  };
  const bold = (s: string) => (options.color ? `\u001b[1m${s}\u001b[22m` : s);
  let out = bold(line(columns.map((c) => c.header)).trimEnd()) + "\n";
  for (const row of cells) {
    out += line(row, (i, raw, padded) => {
      const paint = columns[i].paint;
      return options.color && paint ? paint(raw, padded) : padded;
    });
  }
  return out;
}

const sgr = (on: string) => (text: string) => `\u001b[${on}m${text}\u001b[0m`;
export const RED = sgr("1;31");
export const GREEN = sgr("32");
export const YELLOW = sgr("33");

/** The colour of an alarm state: ALARM red, OK green, INSUFFICIENT_DATA yellow. */
export function paintState(state: string, padded: string): string {
  // The padding stays outside the colour so that trailing spaces are not underlined or highlighted.
  const text = padded.trimEnd();
  const rest = padded.slice(text.length);
  if (state === "ALARM") return RED(text) + rest;
  if (state === "OK") return GREEN(text) + rest;
  if (state === "INSUFFICIENT_DATA") return YELLOW(text) + rest;
  return padded;
}

/** `2020-11-01 08:29:10Z`: ISO-8601, second precision, compact for a column. */
export function shortTime(t: Date | number | undefined): string {
  if (t === undefined) return "";
  const d = typeof t === "number" ? new Date(t) : t;
  return `${d.toISOString().slice(0, 19).replace("T", " ")}Z`;
}
