import type { defineRoute } from '../http/route-contract.js';

// TODO(issue 18): the job-runner routes, moved here from services/job-runner/src/http/route-catalog.ts.
export const jobRunnerRoutes = {} as const satisfies Record<string, ReturnType<typeof defineRoute>>;
