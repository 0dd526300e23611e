import { parseArgs } from 'node:util';
import { GATEWAY_ISSUER, roleSchema, SERVICE_AUDIENCES } from '@delivery/contracts';
import { z } from 'zod';
import { ensureIdentityKeys, IDENTITY_KEY_NAMES, privateKeyOf } from './keys.js';
import { signUserToken } from './sign.js';

export const TOKEN_USAGE =
  'usage: token --roles admin[,operator] [--id u1] [--name "Ann"] [--audience hitl] [--ttl 3600]';

const list = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const optionsSchema = z.object({
  roles: z.string().transform(list).pipe(z.array(roleSchema).min(1, 'give at least one role')),
  id: z.string().min(1).max(200).default('dev-user'),
  name: z.string().min(1).max(200).default('Developer'),
  audience: z
    .string()
    .transform(list)
    .pipe(z.array(z.enum(SERVICE_AUDIENCES)).min(1))
    .default([...SERVICE_AUDIENCES]),
  ttl: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600)
    .default(3600),
});

export type TokenCliResult = { ok: true; token: string } | { ok: false; problem: string };

/**
 * A user token for a developer, signed with the gateway key under `dir` (the keys are created
 * there if missing): what `npm run token` and compose's `token` service print.
 */
export async function tokenCli(args: readonly string[], dir: string): Promise<TokenCliResult> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        roles: { type: 'string' },
        id: { type: 'string' },
        name: { type: 'string' },
        audience: { type: 'string' },
        ttl: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problem = parsed.error.issues.map(
      (issue) => `--${String(issue.path[0] ?? 'roles')}: ${issue.message}`,
    );
    return { ok: false, problem: problem.join('\n') };
  }
  const { roles, id, name, audience, ttl } = parsed.data;
  const keys = ensureIdentityKeys(dir, IDENTITY_KEY_NAMES);
  const token = await signUserToken(privateKeyOf(keys, GATEWAY_ISSUER), {
    id,
    name,
    roles,
    audience,
    ttlSeconds: ttl,
  });
  return { ok: true, token };
}

/** Runs `tokenCli` as a command: the token on stdout, or the problem and usage on stderr (exit 2). */
export async function runTokenCli(args: readonly string[], dir: string): Promise<void> {
  const result = await tokenCli(args, dir);
  if (result.ok) {
    process.stdout.write(`${result.token}\n`);
    return;
  }
  process.stderr.write(`${result.problem}\n${TOKEN_USAGE}\n`);
  process.exit(2);
}
