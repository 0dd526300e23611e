import { z } from 'zod';
import { cursorParam } from '../http/cursor.js';
import { ROLES, roleSchema } from '../identity.js';

// What the gateway's own routes read and answer: accounts, sessions, API keys, the access audit
// and the live-event stream's query. The web app and scripts take their types from here.

// ── Input ────────────────────────────────────────────────────────────────────────────────────

/** The shortest password an account may set. */
export const PASSWORD_MIN_LENGTH = 12;

/**
 * A sign-in name shaped like an email: `local@domain`, without insisting on a dotted domain, so
 * `admin@localhost` (npm start's first admin) works. Stored and compared in lower case.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address (name@domain)');

/**
 * The roles a person may hold: the platform's (admin, operator, delivery_manager), `viewer`
 * (reads only: no service route that changes anything accepts it alone), and any approver role a
 * gate names (e.g. `qa_lead`). `service` is for services' own identities, never a person's.
 */
export const personRolesSchema = z
  .array(roleSchema.refine((role) => role !== ROLES.service, 'is reserved for services'))
  .max(20)
  .transform((roles) => [...new Set(roles)].sort());

const newPassword = z.string().min(PASSWORD_MIN_LENGTH).max(1024);
/** A password checked against a stored one: any length it may have been set with. */
const givenPassword = z.string().min(1).max(1024);
const personName = z.string().trim().min(1).max(200);

/** A page of a list, newest first; `cursor` is the `nextCursor` of the page before. */
const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam.optional(),
};

export const loginBody = z.object({ email: emailSchema, password: givenPassword });
export const acceptInvitationBody = z.object({ token: z.string().min(1).max(200), password: newPassword });
export const changePasswordBody = z.object({ currentPassword: givenPassword, newPassword });

export const createKeyBody = z.object({
  name: personName,
  /** A subset of the caller's roles; all of them when left out. */
  roles: personRolesSchema.optional(),
});
/** The public part of an API key (`dk_<id>_<secret>`). */
export const apiKeyIdSchema = z.string().regex(/^[A-Za-z0-9]{16}$/, 'not an API key id');
export const keyParams = z.object({ id: apiKeyIdSchema });

export const inviteUserBody = z.object({ email: emailSchema, name: personName, roles: personRolesSchema });
export const userParams = z.object({ id: z.uuid() });
export const userKeyParams = z.object({ id: z.uuid(), keyId: apiKeyIdSchema });
export const updateUserBody = z
  .object({
    name: personName.optional(),
    roles: personRolesSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'name, roles or active is needed');
export const listUsersQuery = z.object(pageQuery);

export const auditQuery = z.object({
  action: z.string().min(1).max(100).optional(),
  actorId: z.string().min(1).max(200).optional(),
  ...pageQuery,
});

/** Event ids are the gateway's own; the bound keeps anything else from being held or logged at length. */
export const lastEventIdSchema = z
  .string()
  .max(200)
  .optional()
  .transform((id) => id || undefined);

export const eventsQuery = z.object({
  /** Only this project's events (same bounds as the contracts' projectId). */
  projectId: z.string().min(1).max(200).optional(),
  /** For clients that cannot set the Last-Event-ID header; the header wins (EventSource updates it). */
  lastEventId: lastEventIdSchema,
});

// ── Answers ──────────────────────────────────────────────────────────────────────────────────

const timestamp = z.iso.datetime();

/** What the API shows of an account (never its password hash or invitation). */
export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  active: z.boolean(),
  /** Invited, and the invitation not accepted yet: the account cannot sign in. */
  invited: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Account = z.output<typeof accountSchema>;

/** Who is calling, as the gateway sees them. */
export const sessionSchema = z.object({
  user: accountSchema,
  /** The roles this caller acts with now (an API key's: as far as its owner still holds them). */
  roles: z.array(z.string()),
  via: z.enum(['session', 'api_key']),
  /** A session's token for state-changing requests (`x-csrf-token`); an API key needs none. */
  csrfToken: z.string().optional(),
  expiresAt: timestamp.optional(),
});
export type Session = z.output<typeof sessionSchema>;

export const signedInSchema = z.object({ user: accountSchema, csrfToken: z.string() });
export const passwordChangedSchema = signedInSchema.extend({
  /** How many of the account's live API keys the change revoked. */
  revokedKeys: z.number().int().min(0),
});

/** What an API key's owner (or an admin) sees of it: never its secret. */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});
export type ApiKey = z.output<typeof apiKeySchema>;

/** A new key: `key` is the secret, in this one answer only. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });
export type CreatedApiKey = z.output<typeof createdApiKeySchema>;

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

export const invitedUserSchema = z.object({
  user: accountSchema,
  /** The one-time token the person sets their password with (`POST /api/auth/accept-invitation`). */
  invitation: z.object({ token: z.string(), expiresAt: timestamp }),
});

export const unlockedUserSchema = z.object({
  user: accountSchema,
  /** How many throttling records were removed. */
  cleared: z.number().int().min(0),
});

/** One access event: a sign-in (also a failed one), a sign-out, a key, an admin's change. */
export const accessAuditEntrySchema = z.object({
  id: z.string(),
  createdAt: timestamp,
  /** `login_succeeded`, `login_failed`, `api_key_created`, `user_updated`, ... */
  action: z.string(),
  /** Anonymous: a failed sign-in, named by the email tried. */
  actor: z.object({ kind: z.enum(['user', 'anonymous']), id: z.string(), name: z.string() }),
  target: z.object({ kind: z.enum(['user', 'api_key', 'session']), id: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type AccessAuditEntry = z.output<typeof accessAuditEntrySchema>;

const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next page; null on the last one. */
    nextCursor: z.string().nullable(),
  });

export const accountPageSchema = pageOf(accountSchema);
export const accessAuditPageSchema = pageOf(accessAuditEntrySchema);
