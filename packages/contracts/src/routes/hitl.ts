import type { defineRoute } from '../http/route-contract.js';

// TODO(issue 18): the hitl routes, moved here from services/hitl/src/http/route-catalog.ts.
export const hitlRoutes = {} as const satisfies Record<string, ReturnType<typeof defineRoute>>;
