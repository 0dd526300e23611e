import { z } from 'zod';

/**
 * MONGO_INDEXES, who builds a service's indexes:
 * - `build` (the default): each process at its start, as mongoose does by itself. Nothing to set
 *   up, so `npm start` and the tests need no step before; but every replica of a rollout builds
 *   (and races on) the same indexes, and an index the code no longer declares is never dropped.
 * - `require`: `npm run migrate` (a Job before the rollout) builds them once; a process builds
 *   nothing and refuses to start unless the database's recorded declaration is its own, since a
 *   missing unique index would let in duplicates that the idempotency of writes relies on.
 * What each mode does is decided in one place: mongo/index-mode.ts.
 */
export const indexModeSchema = z.enum(['build', 'require']).default('build');
export type IndexMode = z.infer<typeof indexModeSchema>;
