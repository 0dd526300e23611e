import type { defineRoute } from '../http/route-contract.js';

// TODO(issue 18): the pipeline routes, moved here from services/pipeline/src/http/route-catalog.ts.
export const pipelineRoutes = {} as const satisfies Record<string, ReturnType<typeof defineRoute>>;
