import { z } from 'zod';

/**
 * A retention in whole days, read from the environment: how long finished records are kept
 * before a sweep deletes them. `0` keeps them forever. Bounded to 100 years so a typo in days
 * (say, seconds) is refused rather than silently meaning "forever".
 */
export const retentionDays = (fallback: number) =>
  z.coerce.number().int().min(0).max(36_500).default(fallback);

/** How often the retention sweeps run; rare, since each deletes only what aged past days ago. */
export const retentionSweepInterval = () =>
  z.coerce
    .number()
    .int()
    .min(1_000)
    .default(15 * 60_000);
