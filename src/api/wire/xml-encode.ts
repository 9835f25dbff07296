/**
 * awsQuery responses: `<OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>...` with members in
 * the service model's XML order, lists as `<member>` elements (or the member's locationName; repeated
 * elements when flattened), maps as `<entry><key/><value/></entry>`, timestamps in ISO-8601 with
 * milliseconds, and errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
 */
import type { ServiceModel } from "../model/types.js";

export function xmlResponse(
  model: ServiceModel,
  operation: string,
  output: unknown,
  requestId: string,
): string {
  const op = model.operations[operation];
  const ns = model.xmlNamespace ? ` xmlns="${model.xmlNamespace}"` : "";
  const parts: string[] = [`<${operation}Response${ns}>`];
  if (op.output !== undefined) {
    const wrapper = op.resultWrapper ?? `${operation}Result`;
    parts.push(`<${wrapper}>`);
    structureBody(model, op.output, output ?? {}, parts);
    parts.push(`</${wrapper}>`);
  }
  parts.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`);
  parts.push(`</${operation}Response>`);
  return parts.join("");
}

export function xmlError(
  model: ServiceModel | undefined,
  error: { code: string; message: string; sender: boolean },
  requestId: string,
): string {
  const ns = model?.xmlNamespace ? ` xmlns="${model.xmlNamespace}"` : "";
  return (
    `<ErrorResponse${ns}><Error><Type>${error.sender ? "Sender" : "Receiver"}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function structureBody(model: ServiceModel, shapeName: string, value: unknown, parts: string[]): void {
  const shape = model.shapes[shapeName];
  if (shape.type !== "structure") return;
  const source = value as Record<string, unknown>;
  for (const [name, memberShape, locationName] of shape.members) {
    const v = source[name];
    if (v === undefined || v === null) continue;
    element(model, memberShape, locationName ?? name, v, parts);
  }
}

function element(model: ServiceModel, shapeName: string, tag: string, value: unknown, parts: string[]): void {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case "structure":
      parts.push(`<${tag}>`);
      structureBody(model, shapeName, value, parts);
      parts.push(`</${tag}>`);
      return;
    case "list": {
      const memberTag = shape.member.locationName ?? (shape.flattened ? tag : "member");
      if (!shape.flattened) parts.push(`<${tag}>`);
      for (const item of value as unknown[]) element(model, shape.member.shape, memberTag, item, parts);
      if (!shape.flattened) parts.push(`</${tag}>`);
      return;
    }
    case "map": {
      const keyTag = shape.key.locationName ?? "key";
      const valueTag = shape.value.locationName ?? "value";
      if (!shape.flattened) parts.push(`<${tag}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        parts.push(shape.flattened ? `<${tag}>` : "<entry>");
        parts.push(`<${keyTag}>${escapeXml(k)}</${keyTag}>`);
        if (v !== undefined && v !== null) element(model, shape.value.shape, valueTag, v, parts);
        parts.push(shape.flattened ? `</${tag}>` : "</entry>");
      }
      if (!shape.flattened) parts.push(`</${tag}>`);
      return;
    }
    default:
      parts.push(`<${tag}>${escapeXml(scalarText(shape.type, value))}</${tag}>`);
  }
}

function scalarText(type: string, value: unknown): string {
  switch (type) {
    case "timestamp":
      return (value instanceof Date ? value : new Date(value as number)).toISOString();
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    default:
      return String(value);
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) =>
    c === "&"
      ? "&amp;"
      : c === "<"
        ? "&lt;"
        : c === ">"
          ? "&gt;"
          : c === '"'
            ? "&quot;"
            : c === "'"
              ? "&apos;"
              : "&#xD;",
  );
}
