/** UTF-8 text from byte chunks; a character split across chunks is reassembled, a leading BOM dropped. */
export async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Lines of a text stream without their "\n" or "\r\n"; a last line without a newline is still a line. */
export async function* splitLines(texts: AsyncIterable<string>): AsyncGenerator<string> {
  let pending = "";
  for await (const text of texts) {
    pending += text;
    let start = 0;
    for (let nl = pending.indexOf("\n"); nl !== -1; nl = pending.indexOf("\n", start)) {
      yield stripCr(pending.slice(start, nl));
      start = nl + 1;
    }
    pending = pending.slice(start);
  }
  if (pending) yield stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
