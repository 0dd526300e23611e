// Stops what global-setup.ts started (containers, the embedded store); env URLs start nothing.
type Stoppable = { stop(): Promise<void> };

const STARTED = Symbol.for('delivery.jest.startedInfrastructure');

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { [STARTED]?: Stoppable[] };
  const started = holder[STARTED] ?? [];
  delete holder[STARTED];
  await Promise.allSettled(started.map((resource) => resource.stop()));
}
