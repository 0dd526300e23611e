import { ADMIN, type Answer, Browser, GatewayUnderTest, invite, signIn } from './gateway-harness.js';

// Wrong passwords slow down the address they come from, for that account; they never lock the
// account. Addresses are told apart by X-Forwarded-For (the harness trusts loopback proxies).

const FREE = 3;
const CEILING = 8;
let gateway: GatewayUnderTest;
let admin: Browser;
const PASSWORD = 'a long enough password';

beforeAll(async () => {
  gateway = await GatewayUnderTest.start({
    LOGIN_FREE_FAILURES: FREE,
    // Far longer than the test: an address that must wait is still waiting at its end.
    LOGIN_DELAY_BASE_MS: 600_000,
    LOGIN_DELAY_MAX_MS: 3_600_000,
    LOGIN_ACCOUNT_CEILING: CEILING,
    // A year: the test's failures never straddle two windows.
    LOGIN_ACCOUNT_WINDOW_MINUTES: 525_600,
    LOGIN_ATTEMPTS_PER_MINUTE: 1_000,
  });
  admin = await Browser.signIn(gateway.url, ADMIN.email, ADMIN.password);
});
afterAll(() => gateway?.close());

const REFUSED = {
  status: 401,
  body: {
    error: 'invalid_credentials',
    message: expect.any(String),
  },
};
const shown = ({ status, body, headers }: Answer) => ({
  status,
  body,
  headers: ['retry-after', 'set-cookie'].map((name) => headers.get(name)),
});

/** The reasons the audit gives for the failed sign-ins of `email` (newest first). */
async function failureReasons(email: string): Promise<string[]> {
  const audit = await admin.request('GET', `/api/audit?action=login_failed&actorId=${email}&limit=200`);
  return audit.body.items.map((entry: { details: { reason: string } }) => entry.details.reason);
}

test('wrong passwords from one address never keep the person out from another, the first admin included', async () => {
  for (let i = 0; i < 10; i++) {
    expect(await signIn(gateway.url, ADMIN.email, `guess ${i}`, '10.1.0.1')).toMatchObject(REFUSED);
  }
  // That address waits, even with the right password; the admin, elsewhere, does not.
  expect(await signIn(gateway.url, ADMIN.email, ADMIN.password, '10.1.0.1')).toMatchObject(REFUSED);
  expect((await signIn(gateway.url, ADMIN.email, ADMIN.password, '10.1.0.2')).status).toBe(200);
});

test('every failed sign-in answers the same, whatever the reason; only the audit tells them apart', async () => {
  const dana = await invite(admin, 'dana@example.com', ['viewer'], PASSWORD);
  await admin.request('PATCH', `/api/users/${dana.id}`, { active: false });
  await admin.request('POST', '/api/users', { email: 'ivy@example.com', name: 'Ivy', roles: ['viewer'] });
  await invite(admin, 'tom@example.com', ['viewer'], PASSWORD);
  for (let i = 0; i <= FREE; i++) await signIn(gateway.url, 'tom@example.com', 'not it', '10.2.0.1');

  const answers = {
    unknown_account: await signIn(gateway.url, 'nobody@example.com', PASSWORD, '10.2.0.9'),
    wrong_password: await signIn(gateway.url, 'tom@example.com', 'not it either', '10.2.0.9'),
    throttled: await signIn(gateway.url, 'tom@example.com', PASSWORD, '10.2.0.1'),
    inactive: await signIn(gateway.url, 'dana@example.com', PASSWORD, '10.2.0.9'),
    invitation_pending: await signIn(gateway.url, 'ivy@example.com', PASSWORD, '10.2.0.9'),
  };
  const first = shown(answers.unknown_account);
  expect(first).toMatchObject(REFUSED);
  for (const [reason, answer] of Object.entries(answers))
    expect({ reason, ...shown(answer) }).toEqual({ reason, ...first });

  expect((await failureReasons('nobody@example.com'))[0]).toBe('unknown_account');
  expect((await failureReasons('tom@example.com')).slice(0, 2)).toEqual(['throttled', 'wrong_password']);
  expect((await failureReasons('dana@example.com'))[0]).toBe('inactive');
  expect((await failureReasons('ivy@example.com'))[0]).toBe('invitation_pending');
});

test('parallel guesses from one address cannot outrun the count: only the free ones and one more are checked', async () => {
  await invite(admin, 'pat@example.com', ['viewer'], PASSWORD);
  const guesses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => signIn(gateway.url, 'pat@example.com', `guess ${i}`, '10.3.0.1')),
  );
  expect(guesses.map(shown)).toEqual(Array(30).fill(shown(guesses[0] as Answer)));
  const reasons = await failureReasons('pat@example.com');
  expect(reasons.filter((reason) => reason === 'wrong_password')).toHaveLength(FREE + 1);
  expect(reasons.filter((reason) => reason === 'throttled')).toHaveLength(30 - FREE - 1);
});

test('many wrong passwords for one account from everywhere slow every address from its first, and alert; they never lock', async () => {
  const sam = await invite(admin, 'sam@example.com', ['viewer'], PASSWORD);
  for (let i = 1; i <= CEILING; i++) {
    expect(await signIn(gateway.url, 'sam@example.com', 'a guess', `10.4.0.${i}`)).toMatchObject(REFUSED);
  }
  const alerts = await admin.request('GET', '/api/audit?action=login_ceiling_reached');
  expect(alerts.body.items).toEqual([
    expect.objectContaining({
      target: { kind: 'user', id: sam.id },
      details: expect.objectContaining({ failures: CEILING }),
    }),
  ]);
  expect(gateway.logs).toContainEqual(
    expect.objectContaining({ level: 50, alert: 'login_ceiling_reached', email: 'sam@example.com' }),
  );

  // A new address: its first wrong password makes it wait (under the free ones otherwise).
  expect(await signIn(gateway.url, 'sam@example.com', 'a guess', '10.4.1.1')).toMatchObject(REFUSED);
  expect(await signIn(gateway.url, 'sam@example.com', PASSWORD, '10.4.1.1')).toMatchObject(REFUSED);
  expect((await failureReasons('sam@example.com'))[0]).toBe('throttled');
  // Sam, from an address of their own, gets in.
  expect((await signIn(gateway.url, 'sam@example.com', PASSWORD, '10.4.2.1')).status).toBe(200);
});

test('an admin clears an account’s throttling, from every address at once, audited; nobody else can', async () => {
  const ray = await invite(admin, 'ray@example.com', ['operator'], PASSWORD);
  for (let i = 0; i <= FREE; i++) await signIn(gateway.url, 'ray@example.com', 'not it', '10.5.0.1');
  expect(await signIn(gateway.url, 'ray@example.com', PASSWORD, '10.5.0.1')).toMatchObject(REFUSED);

  const operator = await Browser.signIn(gateway.url, 'ray@example.com', PASSWORD, '10.5.0.2');
  expect((await operator.request('POST', `/api/users/${ray.id}/unlock`)).status).toBe(403);
  expect(await signIn(gateway.url, 'ray@example.com', PASSWORD, '10.5.0.1')).toMatchObject(REFUSED);

  const unlocked = await admin.request('POST', `/api/users/${ray.id}/unlock`);
  expect(unlocked.status).toBe(200);
  expect(unlocked.body).toMatchObject({ user: { id: ray.id }, cleared: expect.any(Number) });
  expect((await signIn(gateway.url, 'ray@example.com', PASSWORD, '10.5.0.1')).status).toBe(200);
  const audit = await admin.request('GET', '/api/audit?action=account_unlocked');
  expect(audit.body.items).toEqual([expect.objectContaining({ target: { kind: 'user', id: ray.id } })]);
  expect((await admin.request('POST', '/api/users/00000000-0000-4000-8000-000000000000/unlock')).status).toBe(
    404,
  );
});

test('wrong current passwords in a password change are throttled like sign-ins (a stolen session is no guessing oracle)', async () => {
  await invite(admin, 'una@example.com', ['viewer'], PASSWORD);
  const una = await Browser.signIn(gateway.url, 'una@example.com', PASSWORD, '10.6.0.1');
  const change = (currentPassword: string) =>
    una.request('POST', '/api/auth/password', { currentPassword, newPassword: 'a new long password' });
  for (let i = 0; i <= FREE; i++) expect((await change(`guess ${i}`)).status).toBe(403);
  expect(await change(PASSWORD)).toMatchObject({ status: 429, body: { error: 'too_many_attempts' } });
  // Signing in from elsewhere is not affected.
  expect((await signIn(gateway.url, 'una@example.com', PASSWORD, '10.6.0.2')).status).toBe(200);
});
