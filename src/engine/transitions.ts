import type { Alarm, AlarmStateValue } from "../store/types.js";

/** One alarm state change, as the action dispatcher (notifications) and the replay timeline see it. */
export interface AlarmTransition {
  alarm: Alarm;
  oldState: AlarmStateValue;
  newState: AlarmStateValue;
  /** Evaluation time (ms): event time in replay, wall time live. */
  timestamp: number;
  reason: string;
  reasonData?: string;
}

/** Where transitions go. The notification issue plugs its dispatcher in; until then they are logged. */
export interface TransitionListener {
  onTransition(t: AlarmTransition): void | Promise<void>;
}
