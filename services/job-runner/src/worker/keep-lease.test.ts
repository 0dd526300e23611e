import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { ClaimedJob, JobLeases, LeaseState } from '../store/job-leases.js';
import { keepLease } from './keep-lease.js';

// The deadline itself (abandonLeaseAfterMs) is tested with the lease keeper in service-kit; here,
// how the job's lease states map to the reasons the worker acts on.
const claim = { job: { _id: 'job-1' }, leaseToken: 'token' } as ClaimedJob;
const logger = pino({ level: 'silent' });

async function stopsWhenHeartbeat(heartbeat: () => Promise<LeaseState>) {
  const stops: string[] = [];
  const leases = { heartbeat } as unknown as JobLeases;
  const lease = keepLease(claim, { leaseMs: 400, heartbeatMs: 50, leases, logger }, (reason) =>
    stops.push(reason),
  );
  await sleep(1_000);
  lease.stop();
  return stops;
}

test('a lease taken over stops the handler as lease-lost', async () => {
  expect(await stopsWhenHeartbeat(async () => 'lost')).toEqual(['lease-lost']);
});

test('a cancel asked for stops the handler as cancel-requested', async () => {
  expect(await stopsWhenHeartbeat(async () => 'cancel-requested')).toEqual(['cancel-requested']);
});

test('heartbeats that fail or hang stop the handler once, as heartbeats-failing', async () => {
  expect(await stopsWhenHeartbeat(() => Promise.reject(new Error('unreachable')))).toEqual([
    'heartbeats-failing',
  ]);
  expect(await stopsWhenHeartbeat(() => new Promise<never>(() => undefined))).toEqual(['heartbeats-failing']);
});
