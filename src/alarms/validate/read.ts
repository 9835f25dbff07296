/**
 * Reading request members the way the AWS SDK sends them: PascalCase names, JSON types (JSON 1.0 and CBOR
 * protocols), or strings when the API layer decoded an awsQuery form (`Period=300`, `ActionsEnabled=true`).
 * A member that is absent or null reads as undefined; a value of the wrong type is rejected here, before any
 * validation, as AWS's deserializer would.
 */
import { invalidType } from "../errors.js";

export type Input = Readonly<Record<string, unknown>>;

export function asInput(input: unknown): Input {
  if (input === undefined || input === null) return {};
  if (typeof input !== "object" || Array.isArray(input)) throw invalidType("request", "an object", input);
  return input as Input;
}

export function readString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidType(name, "a string", v);
  return v;
}

export function readInteger(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw invalidType(name, "an integer", v);
  return n;
}

export function readDouble(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) throw invalidType(name, "a finite number", v);
  return n;
}

export function readBoolean(input: Input, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw invalidType(name, "a boolean", v);
}

export function readStringList(input: Input, name: string): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string"))
    throw invalidType(name, "a list of strings", v);
  return v as string[];
}

/** A list of structures; their members are read by the caller (absent members are constraint failures). */
export function readStructList(input: Input, name: string): Input[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== "object" || s === null || Array.isArray(s)))
    throw invalidType(name, "a list of structures", v);
  return v as Input[];
}

/**
 * A timestamp: a Date (SDK input), epoch seconds (the JSON and CBOR protocols' encoding) or ISO-8601 text
 * (awsQuery). Returns epoch ms.
 */
export function readTimestamp(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  let ms = Number.NaN;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === "number") ms = v * 1000;
  else if (typeof v === "string") ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (!Number.isFinite(ms)) throw invalidType(name, "a timestamp", v);
  return ms;
}

/** Members present in the input, for "cannot be combined with" checks. */
export function present(input: Input, name: string): boolean {
  const v = input[name];
  return v !== undefined && v !== null;
}
