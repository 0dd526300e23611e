import type { Logger } from '@delivery/service-kit';
import { generatePassword, hashPassword } from './domain/passwords.js';
import type { AccountStore } from './store/account-store.js';

/**
 * The first start creates an admin so that someone can sign in: with ADMIN_PASSWORD when given,
 * else with a generated password printed once, to the terminal only (not into the logs).
 */
export async function ensureFirstAdmin(
  accounts: AccountStore,
  config: { ADMIN_EMAIL: string; ADMIN_PASSWORD?: string | undefined; PORT: number },
  logger: Logger,
): Promise<void> {
  const password = config.ADMIN_PASSWORD ?? generatePassword();
  if (!(await accounts.createFirstAdmin(config.ADMIN_EMAIL, await hashPassword(password)))) return;
  logger.info({ email: config.ADMIN_EMAIL }, 'first start: created the admin account');
  if (config.ADMIN_PASSWORD) return;
  // One line: npm start prefixes each line with the process name.
  process.stdout.write(
    `First start: sign in as ${config.ADMIN_EMAIL} with the password ${password} ` +
      '(shown only now; change it after signing in: POST /api/auth/password)\n',
  );
}
