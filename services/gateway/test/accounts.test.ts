import { ADMIN, Browser, GatewayUnderTest, invite } from './gateway-harness.js';

// Admins page through accounts and the access audit, newest first, and read one account.

let gateway: GatewayUnderTest;
let admin: Browser;
const PASSWORD = 'a long enough password';

beforeAll(async () => {
  gateway = await GatewayUnderTest.start();
  admin = await Browser.signIn(gateway.url, ADMIN.email, ADMIN.password);
});
afterAll(() => gateway?.close());

test('accounts come newest first, a page at a time, until the cursor is null', async () => {
  const invited = [];
  for (const name of ['ann', 'bob', 'cy']) {
    invited.push(await invite(admin, `${name}@example.com`, ['viewer'], PASSWORD));
  }
  const first = await admin.request('GET', '/api/users?limit=2');
  expect(first.status).toBe(200);
  expect(first.body.items.map((user: { email: string }) => user.email)).toEqual([
    'cy@example.com',
    'bob@example.com',
  ]);
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const rest = await admin.request('GET', `/api/users?limit=2&cursor=${first.body.nextCursor}`);
  expect(rest.body).toEqual({
    items: [
      expect.objectContaining({ email: 'ann@example.com', invited: false, active: true }),
      expect.objectContaining({ email: ADMIN.email, roles: ['admin'] }),
    ],
    nextCursor: null,
  });
  // Nothing of a password or an invitation is shown.
  expect(JSON.stringify([first.body, rest.body])).not.toMatch(/password|invitation|digest/i);

  const one = await admin.request('GET', `/api/users/${invited[1]?.id}`);
  expect(one).toMatchObject({ status: 200, body: { id: invited[1]?.id, email: 'bob@example.com' } });
});

test('a cursor this API did not write, or an id that is no account’s, is refused', async () => {
  const bad = await admin.request('GET', '/api/users?cursor=not-ours');
  expect(bad).toMatchObject({
    status: 400,
    body: { error: 'validation_failed', issues: [{ path: 'cursor', message: 'not a cursor from this API' }] },
  });
  expect((await admin.request('GET', '/api/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  expect((await admin.request('GET', '/api/users/not-a-uuid')).body.issues).toEqual([
    expect.objectContaining({ path: 'id' }),
  ]);
});

test('the access audit pages newest first and filters by action', async () => {
  const first = await admin.request('GET', '/api/audit?action=user_invited&limit=1');
  expect(first.status).toBe(200);
  expect(first.body.items).toHaveLength(1);
  const all = [...first.body.items];
  for (let cursor = first.body.nextCursor; cursor; ) {
    const page = await admin.request('GET', `/api/audit?action=user_invited&limit=1&cursor=${cursor}`);
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
  }
  expect(all.map((entry) => entry.details.email)).toEqual([
    'cy@example.com',
    'bob@example.com',
    'ann@example.com',
  ]);
  expect(all[0]).toMatchObject({ action: 'user_invited', actor: { kind: 'user' }, target: { kind: 'user' } });
});
