// A leased work queue on one MongoDB collection: the store side (claim, heartbeat, fenced
// writes, hand-back, the sweep), the worker side (keeping a lease, shutting down with leases
// held) and the bound on what a worker may write back.
export * from './claim-decision.js';
export * from './in-flight-leases.js';
export * from './lease-keeper.js';
export * from './leased-queue.js';
export * from './storable-result.js';
