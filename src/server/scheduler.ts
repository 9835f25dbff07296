import type { Engine } from "../engine/engine.js";

/**
 * Live evaluation on CloudWatch's schedule: a timer aligned to the next 10-second boundary runs every
 * evaluation due by then (the runner itself knows which alarms evaluate each minute and which every 10 s).
 */
export function startScheduler(engine: Engine, onError: (e: unknown) => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const now = engine.clock.now();
    const next = Math.floor(now / 10_000) * 10_000 + 10_000;
    timer = setTimeout(
      async () => {
        try {
          await engine.tick(engine.clock.now());
        } catch (e) {
          onError(e);
        }
        arm();
      },
      next - now + 5,
    );
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
