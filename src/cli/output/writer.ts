import { once } from "node:events";

/** Writes to a stream, waiting when it is full so that large outputs do not pile up in memory. */
export class Output {
  private readonly stream: NodeJS.WritableStream;

  constructor(stream: NodeJS.WritableStream) {
    this.stream = stream;
  }

  async write(text: string): Promise<void> {
    if (text && !this.stream.write(text)) await once(this.stream, "drain");
  }
}
