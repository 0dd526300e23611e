import { abandonLeaseAfterMs } from './keep-lease.js';

test('a worker gives its job up one heartbeat before the lease ends', () => {
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
