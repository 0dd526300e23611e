import { SseClient } from '@delivery/testing';
import { ADMIN, Browser, GatewayUnderTest, invite, keyClient } from './gateway-harness.js';

// API keys end with the reasons they were trusted for: a password change, a deactivation (for
// good, even if the account comes back), or an admin revoking them.

let gateway: GatewayUnderTest;
let admin: Browser;
const PASSWORD = 'a long enough password';

beforeAll(async () => {
  gateway = await GatewayUnderTest.start();
  admin = await Browser.signIn(gateway.url, ADMIN.email, ADMIN.password);
});
afterAll(() => gateway?.close());

async function keyOf(browser: Browser, name: string): Promise<{ id: string; key: string }> {
  const created = await browser.request('POST', '/api/keys', { name });
  expect(created.status).toBe(201);
  return { id: created.body.id as string, key: created.body.key as string };
}

const works = async (key: string) => (await keyClient(gateway.url, key)('GET', '/api/auth/session')).status;

test('changing one’s password revokes one’s keys, and the answer and the audit say how many', async () => {
  const person = await invite(admin, 'kim@example.com', ['viewer'], PASSWORD);
  const kim = await Browser.signIn(gateway.url, 'kim@example.com', PASSWORD);
  const kept = await keyOf(kim, 'kept');
  const other = await keyOf(kim, 'other');
  const alreadyRevoked = await keyOf(kim, 'already revoked');
  expect((await kim.request('DELETE', `/api/keys/${alreadyRevoked.id}`)).status).toBe(200);
  expect(await works(kept.key)).toBe(200);

  const changed = await kim.request('POST', '/api/auth/password', {
    currentPassword: PASSWORD,
    newPassword: 'another long password',
  });
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ user: { id: person.id }, revokedKeys: 2 });
  expect([await works(kept.key), await works(other.key)]).toEqual([401, 401]);
  const listed = await kim.request('GET', '/api/keys');
  expect(listed.body.items.map((key: { revokedAt: string | null }) => key.revokedAt)).toEqual([
    expect.any(String),
    expect.any(String),
    expect.any(String),
  ]);
  const audit = await admin.request('GET', `/api/audit?action=password_changed&actorId=${person.id}`);
  expect(audit.body.items).toEqual([expect.objectContaining({ details: { revokedKeys: 2 } })]);
});

test('a deactivated account’s keys stay revoked when it is reactivated', async () => {
  const person = await invite(admin, 'dana@example.com', ['viewer'], PASSWORD);
  const dana = await Browser.signIn(gateway.url, 'dana@example.com', PASSWORD);
  const key = await keyOf(dana, 'script');
  expect((await admin.request('PATCH', `/api/users/${person.id}`, { active: false })).status).toBe(200);
  expect(await works(key.key)).toBe(401);
  expect((await admin.request('PATCH', `/api/users/${person.id}`, { active: true })).status).toBe(200);

  expect(await works(key.key)).toBe(401);
  // The person is back (with their password), their old keys are not.
  const back = await Browser.signIn(gateway.url, 'dana@example.com', PASSWORD);
  expect((await back.request('GET', '/api/keys')).body.items).toEqual([
    expect.objectContaining({ id: key.id, revokedAt: expect.any(String) }),
  ]);
  const audit = await admin.request('GET', '/api/audit?action=user_updated');
  expect(
    audit.body.items.find((entry: { target: { id: string } }) => entry.target.id === person.id)?.details,
  ).toMatchObject({ before: { active: false }, after: { active: true } });
  expect(
    audit.body.items.filter((entry: { target: { id: string } }) => entry.target.id === person.id).at(-1)
      ?.details,
  ).toEqual({ before: { active: true }, after: { active: false }, revokedKeys: 1 });
});

test('admins list and revoke anyone’s keys (its streams end at once), audited; nobody else can', async () => {
  const person = await invite(admin, 'lee@example.com', ['operator', 'viewer'], PASSWORD);
  const lee = await Browser.signIn(gateway.url, 'lee@example.com', PASSWORD);
  const first = await keyOf(lee, 'first');
  const second = await keyOf(lee, 'second');
  // Only admins, not the owner through these routes, nor a key.
  expect((await lee.request('GET', `/api/users/${person.id}/keys`)).status).toBe(403);
  expect((await lee.request('DELETE', `/api/users/${person.id}/keys/${first.id}`)).status).toBe(403);

  const listed = await admin.request('GET', `/api/users/${person.id}/keys`);
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((key: { id: string }) => key.id).sort()).toEqual([first.id, second.id].sort());
  expect(JSON.stringify(listed.body)).not.toContain(first.key.slice(20));

  const stream = await SseClient.open(gateway.url, '', { authorization: `Bearer ${first.key}` });
  await stream.until((frame) => frame.event === 'ready', 'the key’s stream to open');
  const revoked = await admin.request('DELETE', `/api/users/${person.id}/keys/${first.id}`);
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({ id: first.id, revokedAt: expect.any(String) });
  expect(await stream.ended).toBe('done');
  expect([await works(first.key), await works(second.key)]).toEqual([401, 200]);

  // Someone else's key, or no such person: 404, and nothing is revoked.
  const adminId = (await admin.request('GET', '/api/auth/session')).body.user.id;
  expect((await admin.request('DELETE', `/api/users/${adminId}/keys/${second.id}`)).status).toBe(404);
  expect(await works(second.key)).toBe(200);
  expect((await admin.request('GET', '/api/users/00000000-0000-4000-8000-000000000000/keys')).status).toBe(
    404,
  );

  const audit = await admin.request('GET', `/api/audit?action=api_key_revoked&actorId=${adminId}`);
  expect(audit.body.items).toEqual([
    expect.objectContaining({
      target: { kind: 'api_key', id: first.id },
      details: { ownerId: person.id },
    }),
  ]);
});
