import type { defineRoute } from '../http/route-contract.js';

// TODO(issue 18): the template-blueprint routes, moved here from services/template-blueprint/src/http/route-catalog.ts.
export const templateBlueprintRoutes = {} as const satisfies Record<string, ReturnType<typeof defineRoute>>;
