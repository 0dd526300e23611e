/**
 * What to do with a message whose handler threw, given how many retries it already had.
 * `attempt` counts retries already made (0 on first delivery).
 */
export type FailureStep = { action: 'retry'; attempt: number; delayMs: number } | { action: 'dead-letter' };

export function nextStepAfterFailure(retriesSoFar: number, delaysMs: readonly number[]): FailureStep {
  const delayMs = delaysMs[retriesSoFar];
  if (delayMs === undefined) return { action: 'dead-letter' };
  return { action: 'retry', attempt: retriesSoFar + 1, delayMs };
}
