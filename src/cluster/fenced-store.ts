/**
 * The engine's store on a cluster instance: the same store, except that every alarm state write carries
 * this instance's evaluator fencing token, so the store refuses it (FencedError) once another instance has
 * taken the lease. The token is the latest this instance ever held — kept after it steps down, so a write
 * already under way when it lost the lease is refused too. An instance that never led holds token 0, which
 * no lease has: alarm states are written by the evaluator only (alarm writes made through another instance
 * are forwarded to the evaluator: alarm-writes.ts).
 */
import type { Store } from "../store/store.js";
import { EVALUATOR_LEASE } from "./evaluator-lease.js";

export function fencedStore(store: Store, token: () => number): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === "setAlarmState") {
        const write: Store["setAlarmState"] = (name, state, history) =>
          target.setAlarmState(name, state, history, { lease: EVALUATOR_LEASE, token: token() });
        return write;
      }
      const value = Reflect.get(target, property, target);
      // Methods run on the real store (its private fields are not on the proxy).
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
