/**
 * What the AWS CLI prints for a response, for any response shape:
 *
 * - `--output json`: Python's `json.dump(response, indent=4, ensure_ascii=False)` — the layout of
 *   `JSON.stringify(x, null, 4)`, except that members the service model types as `double` are Python floats
 *   and print as such: `"Threshold": 1.0`, `"Sum": 3.0`, `1e-05` (see the AWS CLI's documentation examples,
 *   `"Threshold": 70.0`). Timestamps print as ISO-8601 strings (`"2014-04-09T18:59:06.442Z"`, the form of the
 *   AWS CLI's documentation examples).
 * - `--output text`: a port of awscli/text.py — per structure a tab-separated row of its scalar values
 *   (sorted by key; in a list of structures, the union of their scalar keys), prefixed by the upper-cased
 *   key it sits under; nested lists and structures follow on their own rows. Python's `str()` of scalars:
 *   `True`/`False`, `None`, floats as above.
 *
 * An empty response (`{}`, e.g. SetAlarmState) prints nothing, as the AWS CLI does.
 */

/** Members of the CloudWatch and CloudWatch Logs models typed `double` that trailwatch's outputs carry. */
const DOUBLE_MEMBERS = new Set([
  // CloudWatch: Threshold; Datapoint's DatapointValue members
  "Threshold",
  "SampleCount",
  "Average",
  "Sum",
  "Minimum",
  "Maximum",
  // CloudWatch Logs: MetricTransformation.defaultValue
  "defaultValue",
]);
/** Maps whose values are doubles (Datapoint.ExtendedStatistics: DatapointValueMap). */
const DOUBLE_MAPS = new Set(["ExtendedStatistics"]);

function isDouble(key: string | undefined, parentKey: string | undefined): boolean {
  return (
    (key !== undefined && DOUBLE_MEMBERS.has(key)) || (parentKey !== undefined && DOUBLE_MAPS.has(parentKey))
  );
}

/**
 * Python's `repr(float)`: the shortest digits that read back as the same double (as JavaScript's), in
 * positional notation with at least one decimal when the decimal exponent is in [-4, 16), otherwise in
 * scientific notation with a signed exponent of at least two digits (`1e-05`, `1.5e+16`).
 */
export function pythonFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "Infinity";
  if (n === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const sign = n < 0 ? "-" : "";
  const [mantissa, exponent] = Math.abs(n).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const fraction = digits.slice(exp + 1) || "0";
    return `${sign}${whole}.${fraction}`;
  }
  const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${shown}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

function scalarJson(value: unknown, key: string | undefined, parentKey: string | undefined): string {
  if (value === null) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "number") return isDouble(key, parentKey) ? pythonFloat(value) : JSON.stringify(value);
  return JSON.stringify(value);
}

function writeJson(
  value: unknown,
  indent: string,
  key: string | undefined,
  parentKey: string | undefined,
): string {
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => inner + writeJson(v === undefined ? null : v, inner, key, parentKey));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const items = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${writeJson(v, inner, k, key)}`);
    return `{\n${items.join(",\n")}\n${indent}}`;
  }
  return scalarJson(value, key, parentKey);
}

/** `--output json`: the response as the AWS CLI prints it, with a final newline; "" for `{}`. */
export function awsCliJson(response: object): string {
  if (!Array.isArray(response) && Object.values(response).every((v) => v === undefined)) return "";
  return `${writeJson(response, "", undefined, undefined)}\n`;
}

// ---- --output text (awscli/text.py) ----

function isContainer(v: unknown): v is object {
  return typeof v === "object" && v !== null && !(v instanceof Date);
}

function pythonStr(value: unknown, key: string | undefined, parentKey: string | undefined): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return isDouble(key, parentKey) ? pythonFloat(value) : String(value);
  return String(value);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatText(
  item: unknown,
  out: string[],
  identifier: string | undefined,
  parentKey: string | undefined,
  scalarKeys?: string[],
): void {
  if (Array.isArray(item)) formatList(item, out, identifier, parentKey);
  else if (isContainer(item)) formatDict(item as Record<string, unknown>, out, identifier, scalarKeys);
  else out.push(`${pythonStr(item, identifier, parentKey)}\n`);
}

function formatList(
  items: unknown[],
  out: string[],
  identifier: string | undefined,
  parentKey?: string,
): void {
  if (items.length === 0) return;
  if (items.some((el) => isContainer(el) && !Array.isArray(el))) {
    const keys = new Set<string>();
    for (const el of items) {
      if (!isContainer(el) || Array.isArray(el)) continue;
      for (const [k, v] of Object.entries(el)) if (v !== undefined && !isContainer(v)) keys.add(k);
    }
    const allKeys = [...keys].sort(compareKeys);
    for (const el of items) formatText(el, out, identifier, parentKey, allKeys);
  } else if (items.some(Array.isArray)) {
    const scalars = items.filter((el) => !isContainer(el));
    if (scalars.length > 0) formatScalarList(scalars, out, identifier, parentKey);
    for (const el of items.filter(isContainer)) formatText(el, out, identifier, parentKey);
  } else {
    formatScalarList(items, out, identifier, parentKey);
  }
}

function formatScalarList(
  items: unknown[],
  out: string[],
  identifier: string | undefined,
  parentKey?: string,
) {
  if (identifier !== undefined) {
    for (const el of items)
      out.push(`${identifier.toUpperCase()}\t${pythonStr(el, identifier, parentKey)}\n`);
  } else {
    out.push(`${items.map((el) => pythonStr(el, undefined, parentKey)).join("\t")}\n`);
  }
}

function formatDict(
  dict: Record<string, unknown>,
  out: string[],
  identifier: string | undefined,
  scalarKeys: string[] | undefined,
): void {
  const present = Object.entries(dict).filter(([, v]) => v !== undefined);
  const scalars: string[] = [];
  const nonScalars: [string, unknown][] = [];
  if (scalarKeys === undefined) {
    for (const [k, v] of present.sort((a, b) => compareKeys(a[0], b[0]))) {
      if (isContainer(v)) nonScalars.push([k, v]);
      else scalars.push(pythonStr(v, k, identifier));
    }
  } else {
    for (const k of scalarKeys)
      scalars.push(k in dict && dict[k] !== undefined ? pythonStr(dict[k], k, identifier) : "");
    const rest = present.map(([k]) => k).filter((k) => !scalarKeys.includes(k));
    for (const k of rest.sort(compareKeys)) nonScalars.push([k, dict[k]]);
  }
  if (scalars.length > 0) {
    if (identifier !== undefined) scalars.unshift(identifier.toUpperCase());
    out.push(`${scalars.join("\t")}\n`);
  }
  for (const [k, v] of nonScalars) formatText(v, out, k, identifier);
}

/** `--output text` of one response page. */
export function awsCliText(response: unknown): string {
  const out: string[] = [];
  formatText(response, out, undefined, undefined);
  return out.join("");
}
