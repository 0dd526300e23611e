import { gatewayRoutes, type RouteContract } from '@delivery/contracts/routes';
import { differencesInEnforcedRoles } from '@delivery/testing/fuzz';
import { ADMIN, Browser, GatewayUnderTest, invite } from './gateway-harness.js';

// The roles each of the gateway's own routes lets in are its contract's, and no others: called
// with an API key of someone holding no role, then of someone holding each role the contract names.

let gateway: GatewayUnderTest;
let admin: Browser;

beforeAll(async () => {
  gateway = await GatewayUnderTest.start();
  admin = await Browser.signIn(gateway.url, ADMIN.email, ADMIN.password);
});
afterAll(() => gateway?.close());

/** One person per set of roles, each with an API key holding all of them. */
const keys = new Map<string, Promise<string>>();

async function keyOf(roles: readonly string[]): Promise<string> {
  const name = roles.length === 0 ? 'nobody' : roles.join('-');
  const email = `roles-${name.replace(/_/g, '-')}@example.com`;
  const password = 'a long enough password';
  await invite(admin, email, [...roles], password);
  // Each from an address of its own: sign-ins are throttled per address.
  const person = await Browser.signIn(gateway.url, email, password, `10.9.${keys.size}.1`);
  const created = await person.request('POST', '/api/keys', { name: 'roles test' });
  if (created.status !== 201) throw new Error(`a key for ${name}: ${created.status}`);
  expect(created.body.roles).toEqual([...roles].sort());
  return created.body.key as string;
}

function headersFor(roles: readonly string[]) {
  const id = [...roles].sort().join();
  if (!keys.has(id)) keys.set(id, keyOf(roles));
  return (keys.get(id) as Promise<string>).then((key) => ({ authorization: `Bearer ${key}` }));
}

test('each of the gateway’s own routes lets in exactly the roles its contract names', async () => {
  const routes: readonly RouteContract[] = Object.values(gatewayRoutes);
  // The check would pass for a contract naming no roles at all.
  expect(routes.filter((route) => route.roles?.length).length).toBeGreaterThan(5);
  expect(await differencesInEnforcedRoles(gateway.url, routes, { headersFor })).toEqual([]);
});
