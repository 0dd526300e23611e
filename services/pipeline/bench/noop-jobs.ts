import { authHeaders } from '@delivery/testing';

/**
 * The job-runner's own speed on the same system: N noop jobs enqueued through its API (`inFlight`
 * calls at once) until all succeeded (its /jobs/stats count), in jobs per second.
 */
export async function noopJobsPerSec(jobRunner: string, count: number, inFlight: number): Promise<number> {
  const headers = { ...authHeaders(), 'content-type': 'application/json' };
  const succeeded = async () => {
    const stats = (await (await fetch(`${jobRunner}/jobs/stats`, { headers })).json()) as {
      byKind: Record<string, Record<string, number>>;
    };
    return stats.byKind.noop?.SUCCESS ?? 0;
  };
  const before = await succeeded();
  const run = `bench-${Date.now()}`;
  const started = Date.now();
  let next = 0;
  const enqueue = async () => {
    while (next < count) {
      const index = next++;
      const response = await fetch(`${jobRunner}/jobs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          projectId: run,
          stage: '3_build',
          kind: 'noop',
          idempotencyKey: `${run}:${index}`,
        }),
      });
      if (!response.ok) throw new Error(`enqueue: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, enqueue));
  while ((await succeeded()) - before < count) await new Promise((resolve) => setTimeout(resolve, 100));
  return count / ((Date.now() - started) / 1000);
}
