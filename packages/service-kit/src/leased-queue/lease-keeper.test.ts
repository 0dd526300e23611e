import { setTimeout as sleep } from 'node:timers/promises';
import { abandonLeaseAfterMs, type HeartbeatOutcome, startLeaseKeeper } from './lease-keeper.js';

test('a worker gives its work up one heartbeat before the lease ends', () => {
  expect(abandonLeaseAfterMs({ leaseMs: 30_000, heartbeatMs: 5_000 })).toBe(25_000);
  expect(abandonLeaseAfterMs({ leaseMs: 3_000, heartbeatMs: 500 })).toBe(2_500);
});

test('with heartbeats nearly as long as the lease, it keeps half the gap as margin', () => {
  expect(abandonLeaseAfterMs({ leaseMs: 10_000, heartbeatMs: 8_000 })).toBe(9_000);
  // Always after the first heartbeat could have succeeded, and before the lease ends.
  for (const [leaseMs, heartbeatMs] of [
    [500, 50],
    [1_000, 999],
    [60_000, 1_000],
  ] as const) {
    const after = abandonLeaseAfterMs({ leaseMs, heartbeatMs });
    expect(after).toBeGreaterThan(heartbeatMs);
    expect(after).toBeLessThan(leaseMs);
  }
});

/** Runs a keeper with `heartbeat` until it reports or `forMs` passes. */
async function keep(heartbeat: () => Promise<HeartbeatOutcome<'lease-lost'>>, forMs: number, leaseMs = 400) {
  const stops: { reason: string; message: string }[] = [];
  const errors: unknown[] = [];
  const keeper = startLeaseKeeper({
    leaseMs,
    heartbeatMs: 50,
    heartbeat,
    onHeartbeatError: (error) => errors.push(error),
    onStop: (reason, message) => stops.push({ reason, message }),
  });
  await sleep(forMs);
  keeper.stop();
  return { stops, errors };
}

test('heartbeats that succeed keep the work going past the first deadline', async () => {
  let beats = 0;
  // A generous lease, so a slow machine's late timers do not count as failed heartbeats.
  const { stops } = await keep(
    async () => {
      beats += 1;
      return 'held';
    },
    3_000,
    2_000,
  );
  expect(stops).toEqual([]);
  expect(beats).toBeGreaterThan(2);
});

test('a heartbeat that says to stop is reported once, and beating stops', async () => {
  let beats = 0;
  const { stops } = await keep(async () => {
    beats += 1;
    return { stop: 'lease-lost', message: 'taken over' };
  }, 500);
  expect(stops).toEqual([{ reason: 'lease-lost', message: 'taken over' }]);
  expect(beats).toBe(1);
});

test('heartbeats that fail give the work up before the lease ends, once', async () => {
  const { stops, errors } = await keep(() => Promise.reject(new Error('unreachable')), 1_000);
  expect(stops).toEqual([
    {
      reason: 'heartbeats-failing',
      message: 'no heartbeat succeeded for 350 ms; given up before the 400 ms lease runs out',
    },
  ]);
  expect(errors.length).toBeGreaterThan(0);
});

test('a heartbeat that hangs does not hold the deadline back', async () => {
  const { stops } = await keep(() => new Promise<never>(() => undefined), 1_000);
  expect(stops.map((stop) => stop.reason)).toEqual(['heartbeats-failing']);
});

test('the first deadline counts the lease time a slow claim already used', async () => {
  const stops: string[] = [];
  // Heartbeats that hang (database unreachable); 3 s of the 5 s lease went on the claim.
  const keeper = startLeaseKeeper({
    leaseMs: 5_000,
    heartbeatMs: 50,
    firstLeaseElapsedMs: 3_000,
    heartbeat: () => new Promise<never>(() => {}),
    onHeartbeatError: () => {},
    onStop: (reason) => stops.push(reason),
  });
  // Due after ~2 s; without the elapsed time the keeper would give up only at 4.95 s.
  await sleep(3_500);
  keeper.stop();
  expect(stops).toEqual(['heartbeats-failing']);
});
