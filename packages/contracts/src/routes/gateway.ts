import type { defineRoute } from '../http/route-contract.js';

// TODO(issue 18): the gateway routes, moved here from services/gateway/src/http/route-catalog.ts.
export const gatewayRoutes = {} as const satisfies Record<string, ReturnType<typeof defineRoute>>;
