/**
 * The error a fenced write (Store.setAlarmState with a fence) rejects with when its token is no longer the
 * lease's: another instance took the lease over, and this writer must stop. Shared by every store, so that
 * callers can tell it apart by class or by `name`.
 */
export class FencedError extends Error {
  override name = "FencedError";
}
