/**
 * The engine's only source of time. Live mode uses the system clock; replay and tests drive a manual
 * clock from the events' own timestamps, so one engine serves both and yields the same transitions.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
}
