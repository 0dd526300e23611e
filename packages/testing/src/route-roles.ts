import type { RouteContract } from '@delivery/contracts';
import { userToken } from './identity.js';

export interface EnforcedRolesOptions {
  /** Headers that make the caller someone holding exactly `roles` (default: a user token). */
  headersFor?: (roles: readonly string[]) => Promise<Record<string, string>> | Record<string, string>;
  /** Values of path parameters (default: `x` for each). */
  params?: Record<string, string>;
}

const fillPath = (path: string, params: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(params[name] ?? 'x'));

const refusedForRoles = async (response: Response): Promise<readonly string[] | undefined> => {
  if (response.status !== 403) return undefined;
  const body = (await response.json().catch(() => ({}))) as { details?: { requiredRoles?: string[] } };
  return body.details?.requiredRoles;
};

/**
 * Calls every non-public route as someone with no role, then as someone with each role its
 * contract names, and lists where the roles the service enforces differ from the contract's: a
 * route refusing a role the contract lets in, letting in the role-less caller when the contract
 * names roles, or refusing for other roles than those. Empty when they agree.
 */
export async function differencesInEnforcedRoles(
  baseUrl: string,
  routes: readonly RouteContract[],
  options: EnforcedRolesOptions = {},
): Promise<string[]> {
  const headersFor = options.headersFor ?? ((roles) => ({ authorization: `Bearer ${userToken({ roles })}` }));
  const call = async (route: RouteContract, roles: readonly string[]) =>
    fetch(`${baseUrl}${fillPath(route.path, options.params ?? {})}`, {
      method: route.method,
      headers: { ...(await headersFor(roles)), 'content-type': 'application/json' },
      ...(route.method === 'GET' ? {} : { body: '{}' }),
    });
  const differences: string[] = [];
  for (const route of routes.filter((candidate) => !candidate.public)) {
    const name = `${route.method} ${route.path}`;
    const contractRoles = [...(route.roles ?? [])].sort();
    const refusal = await refusedForRoles(await call(route, []));
    if (contractRoles.length === 0 && refusal)
      differences.push(`${name} needs ${refusal} but its contract no role`);
    if (contractRoles.length > 0 && refusal?.slice().sort().join() !== contractRoles.join()) {
      differences.push(`${name} needs ${refusal ?? 'no role'} but its contract ${contractRoles}`);
    }
    for (const role of contractRoles) {
      if (await refusedForRoles(await call(route, [role])))
        differences.push(`${name} refuses ${role}, which its contract lets in`);
    }
  }
  return differences;
}
