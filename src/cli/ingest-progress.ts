/**
 * The progress bar of `ingest` and `replay` on a terminal (cli-progress, on stderr): inputs, events,
 * events/s and an ETA from the bytes of the inputs done. Off with --json or when stderr is not a TTY.
 */
import { SingleBar } from "cli-progress";

export interface ProgressState {
  inputsDone: number;
  inputs: number;
  events: number;
  bytesDone: number;
  bytes: number;
}

export interface ProgressBar {
  update(s: ProgressState): void;
  stop(): void;
}

const NONE: ProgressBar = { update() {}, stop() {} };

export function progressBar(enabled: boolean): ProgressBar {
  if (!enabled || !process.stderr.isTTY) return NONE;
  const bar = new SingleBar({
    stream: process.stderr,
    format: "{bar} {percentage}% | files {files} | {events} events | {rate} events/s | ETA {eta_formatted}",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 5,
  });
  const started = Date.now();
  let running = false;
  return {
    update(s) {
      const total = Math.max(1, s.bytes);
      const payload = {
        files: `${s.inputsDone}/${s.inputs}`,
        events: s.events.toLocaleString("en-US"),
        rate: Math.round(s.events / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString("en-US"),
      };
      if (!running) {
        bar.start(total, s.bytesDone, payload);
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(s.bytesDone, payload);
      }
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
