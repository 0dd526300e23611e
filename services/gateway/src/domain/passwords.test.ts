import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

test('a hash verifies its own password only, and two hashes of one password differ', async () => {
  const hash = await hashPassword('correct horse battery');
  expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  expect(await hashPassword('correct horse battery')).not.toBe(hash);
});

test('a stored value that is not a known hash verifies nothing', async () => {
  expect(await verifyPassword('x', 'plain')).toBe(false);
  expect(await verifyPassword('x', 'bcrypt$1$2$3$a$b')).toBe(false);
});

test('generated passwords are long and distinct', () => {
  const [a, b] = [generatePassword(), generatePassword()];
  expect(a.length).toBeGreaterThanOrEqual(24);
  expect(a).not.toBe(b);
});
