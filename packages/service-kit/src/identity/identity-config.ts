import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Jwks, jwksSchema, keyIdSchema, type PrivateJwk, privateJwkSchema } from './jwk.js';

/*
 * Identity variables. Each key comes as JSON in the variable or, with the `_FILE` suffix, as the
 * path of a file holding it (the Docker/Kubernetes secret-file convention). A bad value stops the
 * process at start naming the variable; key material is never echoed.
 */

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const describe = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');

function jsonOf<T>(schema: z.ZodType<T>, what: string, text: string, ctx: z.RefinementCtx, where = '') {
  const parsed = schema.safeParse(parseJson(text));
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `${where}is not ${what} (${describe(parsed.error)})` });
  return z.NEVER;
}

const inline = <T>(schema: z.ZodType<T>, what: string) =>
  z.string().transform((text, ctx) => jsonOf(schema, what, text, ctx));

const inFile = <T>(schema: z.ZodType<T>, what: string) =>
  z
    .string()
    .min(1)
    .transform((path, ctx) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        ctx.addIssue({ code: 'custom', message: `cannot read ${path} (${reason})` });
        return z.NEVER;
      }
      return jsonOf(schema, what, text, ctx, `${path} `);
    });

const JWKS = 'a JWKS of Ed25519 public keys';
const PRIVATE_JWK = 'an Ed25519 private JWK';

/**
 * The signing key of a process that calls other services (optional): `service`'s own private
 * key, kid = `service`. Give at most one of the two variables.
 */
export function signingKeyConfigShape(service: string) {
  const ownKey = privateJwkSchema.refine(
    (key) => key.kid === service,
    `must be the key of ${service} (kid "${service}")`,
  );
  return {
    IDENTITY_SIGNING_KEY: inline(ownKey, PRIVATE_JWK).optional(),
    IDENTITY_SIGNING_KEY_FILE: inFile(ownKey, PRIVATE_JWK).optional(),
  };
}

/**
 * What a process that serves HTTP as `service` reads: the trusted public keys (required, see
 * `identityConfigCheck`), its audience, the clock tolerance, and its optional signing key.
 */
export function identityConfigShape(service: string) {
  return {
    IDENTITY_PUBLIC_KEYS: inline(jwksSchema, JWKS).optional(),
    IDENTITY_PUBLIC_KEYS_FILE: inFile(jwksSchema, JWKS).optional(),
    /** The name tokens must carry in `aud` to reach this service. */
    IDENTITY_AUDIENCE: keyIdSchema.default(service),
    IDENTITY_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(5),
    ...signingKeyConfigShape(service),
  };
}

type KeyVariable = 'IDENTITY_PUBLIC_KEYS' | 'IDENTITY_SIGNING_KEY';

/** At most one of `name` and `name_FILE`; exactly one when `required` says why it is needed. */
function oneOf(
  config: Record<string, unknown>,
  name: KeyVariable,
  required: string | false,
  ctx: z.RefinementCtx,
) {
  const given = [name, `${name}_FILE`].filter((variable) => config[variable] !== undefined);
  if (given.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: [`${name}_FILE`],
      message: `give ${name} or ${name}_FILE, not both`,
    });
  }
  if (required && given.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: [name],
      params: { missing: true },
      message: `${required}; give it as JSON, or the path of a file holding it as ${name}_FILE`,
    });
  }
}

/** The refinement of a config with `identityConfigShape`: `.superRefine(identityConfigCheck)`. */
export function identityConfigCheck(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  oneOf(config, 'IDENTITY_PUBLIC_KEYS', 'every request but the probes is verified with it', ctx);
  oneOf(config, 'IDENTITY_SIGNING_KEY', false, ctx);
}

/**
 * The refinement of a config with only `signingKeyConfigShape`: `requiredBecause` says why this
 * configuration needs the key (it calls other services), or false when it does not.
 */
export function signingKeyCheck(requiredBecause: (config: Record<string, unknown>) => string | false) {
  return (config: Record<string, unknown>, ctx: z.RefinementCtx): void =>
    oneOf(config, 'IDENTITY_SIGNING_KEY', requiredBecause(config), ctx);
}

export interface IdentityConfig {
  IDENTITY_PUBLIC_KEYS?: Jwks | undefined;
  IDENTITY_PUBLIC_KEYS_FILE?: Jwks | undefined;
  IDENTITY_AUDIENCE: string;
  IDENTITY_CLOCK_TOLERANCE_S: number;
}

export interface SigningKeyConfig {
  IDENTITY_SIGNING_KEY?: PrivateJwk | undefined;
  IDENTITY_SIGNING_KEY_FILE?: PrivateJwk | undefined;
}

/** The trusted keys, from whichever variable gave them (the check made sure one did). */
export function publicKeysOf(config: IdentityConfig): Jwks {
  const keys = config.IDENTITY_PUBLIC_KEYS ?? config.IDENTITY_PUBLIC_KEYS_FILE;
  if (!keys) throw new Error('IDENTITY_PUBLIC_KEYS or IDENTITY_PUBLIC_KEYS_FILE is required');
  return keys;
}

export const signingKeyOf = (config: SigningKeyConfig): PrivateJwk | undefined =>
  config.IDENTITY_SIGNING_KEY ?? config.IDENTITY_SIGNING_KEY_FILE;
