/**
 * Log messages are attacker-influenced (user agents, request parameters): control characters, ESC above
 * all, must not reach a terminal raw. They are shown escaped, as JSON would write them.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Cuts `text` to `max` characters (code points; wide characters count as one), marking the cut with "…". */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join("") + "…";
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  highlight(text: string): string;
}

const sgr =
  (on: string, off: string) =>
  (text: string): string =>
    `\u001b[${on}m${text}\u001b[${off}m`;

export const ANSI: Style = { bold: sgr("1", "22"), dim: sgr("2", "22"), highlight: sgr("1;33", "22;39") };

const same = (text: string): string => text;
export const PLAIN: Style = { bold: same, dim: same, highlight: same };
