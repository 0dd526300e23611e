/**
 * Whether a queued run due at `dueAt` may start now. `dueAt` comes from another process's clock
 * (the API's, at creation); this worker's clock may run behind it by up to `skewAllowanceMs`,
 * so a run created "now" elsewhere is due here at once.
 */
export function isDue(dueAt: Date, now: Date, skewAllowanceMs: number): boolean {
  return dueAt.getTime() <= now.getTime() + skewAllowanceMs;
}
