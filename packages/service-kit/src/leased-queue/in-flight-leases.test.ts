import { pino } from 'pino';
import { InFlightLeases } from './in-flight-leases.js';

const logger = pino({ level: 'silent' });

test('work that finishes within the drain is not interrupted', async () => {
  const inFlight = new InFlightLeases();
  const interrupted: string[] = [];
  const untrack = inFlight.track(() => interrupted.push('a'));
  setTimeout(untrack, 20);
  await inFlight.drain(1_000, 1_000, logger);
  expect(interrupted).toEqual([]);
  expect(inFlight.accepting).toBe(false);
});

test('work still running when the drain ends is interrupted, and given time to settle', async () => {
  const inFlight = new InFlightLeases();
  const events: string[] = [];
  const untrack = inFlight.track(() => {
    events.push('interrupted');
    setTimeout(() => {
      events.push('settled');
      untrack();
    }, 20);
  });
  const started = Date.now();
  await inFlight.drain(30, 1_000, logger);
  expect(events).toEqual(['interrupted', 'settled']);
  expect(Date.now() - started).toBeLessThan(900);
});

test('work that never settles does not hold the shutdown beyond the settle time', async () => {
  const inFlight = new InFlightLeases();
  let interrupts = 0;
  inFlight.track(() => {
    interrupts += 1;
  });
  const started = Date.now();
  await inFlight.drain(10, 50, logger);
  expect(interrupts).toBe(1);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('work claimed after the drain interrupted the rest is interrupted at once', async () => {
  const inFlight = new InFlightLeases();
  const untrackFirst = inFlight.track(() => setTimeout(() => untrackFirst(), 30));
  const draining = inFlight.drain(0, 1_000, logger);
  await new Promise((resolve) => setTimeout(resolve, 5));
  let late = 0;
  const untrackLate = inFlight.track(() => {
    late += 1;
  });
  expect(late).toBe(1);
  untrackLate();
  await draining;
});
