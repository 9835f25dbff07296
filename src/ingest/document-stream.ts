/**
 * CloudTrail documents (`{"Records":[...]}`, one or several in a row) scanned as their text arrives: each
 * element of Records is handed out as soon as it is complete, so the whole text never has to be held.
 * The checks, messages and offsets are those of scanCloudTrailDocuments (record-scanner.ts), which scans
 * a whole text: the same steps, each retried from where it started when it ran into the end of the text
 * received so far (JsonScanError.atEnd) and more is still to come.
 *
 * A document can turn out broken after some of its records went out: what that means is the reader's
 * business (record-reader.ts holds the records back unless asked to stream them).
 */
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  JsonScanError,
  OPEN_BRACE,
  QUOTE,
  RECORDS_KEY,
  RECORDS_KEY_WINDOW,
  type ScannedRecord,
  scanObject,
  skipString,
  skipValue,
  skipWs,
} from "./record-scanner.js";

type Step = "head" | "first" | "element" | "separator" | "tail";

/** Receives each element of Records: its span in `text`, and the UTF-8 byte offset of a char of `text`. */
export type OnElement = (r: ScannedRecord, text: string, byteOffsetOf: (char: number) => number) => void;

export class DocumentScanner {
  /** Text received and not yet scanned past; `pos` is where the next step starts. */
  private text = "";
  private pos = 0;
  /** UTF-8 bytes of the document before `text`. */
  private base = 0;
  /** Text received while waiting for enough to retry a step (joined when retried). */
  private waiting: string[] = [];
  private waitingChars = 0;
  /** UTF-8 lengths of `waiting` and of `text`, when known. */
  private waitingBytes: number | undefined = 0;
  private textBytes: number | undefined = 0;
  /** Retry a step that ran out of text only once this much unscanned text is there: a step that spans
   * many chunks (a huge record, or broken text) is rescanned a logarithmic number of times, not per chunk. */
  private retryAt = 0;
  private step: Step = "head";
  private documents = 0;

  /**
   * Scans `more`; `final` = nothing comes after it. Throws JsonScanError (see byteOffsetOf) when broken.
   * `moreBytes`: the UTF-8 length of `more` when the caller knows it (saves counting it).
   */
  push(more: string, final: boolean, onElement: OnElement, moreBytes?: number): void {
    this.waiting.push(more);
    this.waitingChars += more.length;
    this.waitingBytes =
      this.waitingBytes === undefined || moreBytes === undefined ? undefined : this.waitingBytes + moreBytes;
    const unscanned = this.text.length - this.pos + this.waitingChars;
    if (!final && unscanned < this.retryAt) return;
    // The bytes before the new text: those before the old one and the part of it scanned past.
    const tail = this.text.slice(this.pos);
    this.base =
      this.textBytes === undefined
        ? this.base + Buffer.byteLength(this.text.slice(0, this.pos), "utf8")
        : this.base + this.textBytes - Buffer.byteLength(tail, "utf8");
    this.textBytes =
      this.waitingBytes === undefined ? undefined : Buffer.byteLength(tail, "utf8") + this.waitingBytes;
    this.waiting.unshift(tail);
    this.text = this.waiting.join("");
    this.pos = 0;
    this.waiting = [];
    this.waitingChars = 0;
    this.waitingBytes = 0;
    this.retryAt = 0;
    const byteOffsetOf = (char: number) => this.byteOffsetOf(char);
    try {
      while (this.next(final, onElement, byteOffsetOf));
    } catch (err) {
      if (!(err instanceof JsonScanError) || !err.atEnd || final) throw err;
      // Ran out of text: this step again once there is twice as much of it.
      this.retryAt = 2 * (this.text.length - this.pos);
    }
  }

  /** The UTF-8 byte offset in the document of a char offset of the current text (a JsonScanError's). */
  byteOffsetOf(char: number): number {
    return this.base + Buffer.byteLength(this.text.slice(0, char), "utf8");
  }

  /** One step of scanCloudTrailDocuments; false when the text is done (or more must come first). */
  private next(final: boolean, onElement: OnElement, byteOffsetOf: (char: number) => number): boolean {
    const s = this.text;
    switch (this.step) {
      case "head": {
        const i = skipWs(s, this.pos);
        if (i >= s.length) {
          if (!final) return false;
          // The end: fine after a document, not before the first.
          if (this.documents > 0) return false;
          throw new JsonScanError(i, 'expected {"Records": [');
        }
        if (s.length - i < RECORDS_KEY_WINDOW && !final) return false;
        const head = RECORDS_KEY.exec(s.slice(i, i + RECORDS_KEY_WINDOW));
        if (!head) throw new JsonScanError(i, 'expected {"Records": [');
        this.pos = i + head[0].length;
        this.step = "first";
        return true;
      }
      case "first": {
        const i = skipWs(s, this.pos);
        // Whether Records is empty is told by the next char: wait for it.
        if (i >= s.length && !final) return false;
        if (s.charCodeAt(i) === CLOSE_BRACKET) {
          this.pos = i + 1;
          this.step = "tail";
        } else {
          this.pos = i;
          this.step = "element";
        }
        return true;
      }
      case "element": {
        const start = skipWs(s, this.pos);
        if (s.charCodeAt(start) === OPEN_BRACE) {
          const r: ScannedRecord = { start, end: 0 };
          r.end = scanObject(s, start, 1, r);
          if (r.end >= s.length && !final) return false;
          onElement(r, s, byteOffsetOf);
          this.pos = r.end;
        } else {
          const end = skipValue(s, start, 1);
          // A value that ends where the text does may go on (a number): wait for the next char.
          if (end >= s.length && !final) return false;
          onElement({ start, end, notObject: true }, s, byteOffsetOf);
          this.pos = end;
        }
        this.step = "separator";
        return true;
      }
      case "separator": {
        const i = skipWs(s, this.pos);
        const c = s.charCodeAt(i);
        if (c === CLOSE_BRACKET) {
          this.pos = i + 1;
          this.step = "tail";
        } else if (c === COMMA) {
          this.pos = i + 1;
          this.step = "element";
        } else
          throw new JsonScanError(
            i,
            i >= s.length ? "unexpected end of JSON" : "expected , or ] in Records",
            i >= s.length,
          );
        return true;
      }
      case "tail": {
        // Other members after "Records" (none in CloudTrail's files, but valid JSON), then "}".
        let i = skipWs(s, this.pos);
        if (s.charCodeAt(i) === COMMA) {
          i = skipWs(s, i + 1);
          if (s.charCodeAt(i) !== QUOTE)
            throw new JsonScanError(i, "expected a property name", i >= s.length);
          i = skipWs(s, skipString(s, i));
          if (s.charCodeAt(i) !== COLON) throw new JsonScanError(i, "expected :", i >= s.length);
          const end = skipValue(s, skipWs(s, i + 1), 1);
          if (end >= s.length && !final) return false;
          this.pos = skipWs(s, end);
          return true;
        }
        if (s.charCodeAt(i) !== CLOSE_BRACE)
          throw new JsonScanError(i, i >= s.length ? "unexpected end of JSON" : "expected }", i >= s.length);
        this.pos = i + 1;
        this.documents++;
        this.step = "head";
        return true;
      }
    }
  }
}
