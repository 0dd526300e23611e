import { ConflictError, encodeCursor, identityOf, NotFoundError, requireRole } from '@delivery/service-kit';
import { Router } from 'express';
import { digest, newSecret } from '../domain/secrets.js';
import type { StreamRegistry } from '../events/stream-registry.js';
import { type AccountStore, accountOf } from '../store/account-store.js';
import { type ApiKeyStore, apiKeyView } from '../store/api-key-store.js';
import type { AuditLog } from '../store/audit-log.js';
import type { UserDocument } from '../store/models.js';
import type { SessionStore } from '../store/session-store.js';
import { auditActor, clientAddress } from './audit-context.js';
import {
  auditQuery,
  inviteUserBody,
  listUsersQuery,
  updateUserBody,
  userKeyParams,
  userParams,
} from './schemas.js';
import type { SignInThrottle } from './sign-in-throttle.js';

const INVITATION_DAYS = 7;

export interface UserRoutesDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  keys: ApiKeyStore;
  audit: AuditLog;
  /** What an unlock clears. */
  throttle: SignInThrottle;
  clock?: () => Date;
  /** Open live-event streams, ended when their account is deactivated. */
  streams?: StreamRegistry;
}

const page = <T extends { createdAt: Date; _id: string }>(found: T[], limit: number) => {
  const last = found.length > limit ? found[limit - 1] : undefined;
  return {
    items: found.slice(0, limit),
    nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last._id }) : null,
  };
};

/**
 * Accounts, for admins: invite, list, change name and roles, deactivate, clear sign-in throttling;
 * anyone's API keys (list, revoke); and the access audit.
 */
export function userRoutes({
  accounts,
  sessions,
  keys,
  audit,
  throttle,
  streams,
  clock = () => new Date(),
}: UserRoutesDeps): Router {
  const router = Router();
  const admins = requireRole('admin');

  router.get('/api/users', admins, async (req, res) => {
    const { limit, cursor } = listUsersQuery.parse(req.query);
    const { items, nextCursor } = page(await accounts.list(limit + 1, cursor), limit);
    res.json({ items: items.map(accountOf), nextCursor });
  });

  router.get('/api/users/:id', admins, async (req, res) => {
    res.json(accountOf(await existing(accounts, userParams.parse(req.params).id)));
  });

  // No mail is sent: the answer carries the invitation token, once, for the admin to pass on.
  router.post('/api/users', admins, async (req, res) => {
    const body = inviteUserBody.parse(req.body);
    const token = newSecret();
    const expiresAt = new Date(clock().getTime() + INVITATION_DAYS * 24 * 3_600_000);
    const user = await accounts.invite(body, { digest: digest(token), expiresAt });
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'user_invited',
      target: { kind: 'user', id: user._id },
      details: { email: user.email, roles: user.roles },
    });
    res.status(201).json({ user: accountOf(user), invitation: { token, expiresAt } });
  });

  router.patch('/api/users/:id', admins, async (req, res) => {
    const { id } = userParams.parse(req.params);
    const change = updateUserBody.parse(req.body);
    const before = await existing(accounts, id);
    // An admin cannot lock themselves out: someone must be left to undo a mistake.
    if (
      id === identityOf(req).id &&
      (change.active === false || (change.roles && !change.roles.includes('admin')))
    ) {
      throw new ConflictError('you cannot deactivate yourself or drop your own admin role');
    }
    const after = (await accounts.update(id, change)) as UserDocument;
    if (change.active === false) {
      await sessions.closeAllOf(id);
      streams?.endAll(`user:${id}`);
    }
    // Keys end with a deactivation, for good: reactivating the account does not revive them.
    // (Revoked again on reactivation for accounts deactivated before keys ended with it.)
    const revokedKeys =
      change.active !== undefined && change.active !== before.active ? await keys.revokeAllOf(id) : 0;
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'user_updated',
      target: { kind: 'user', id },
      details: {
        before: pick(before, change),
        after: pick(after, change),
        ...(revokedKeys > 0 ? { revokedKeys } : {}),
      },
    });
    res.json(accountOf(after));
  });

  // Wrong passwords never lock anyone out, but a person who must get in now (or whose address
  // is shared with someone guessing) should not have to wait the throttle out.
  router.post('/api/users/:id/unlock', admins, async (req, res) => {
    const user = await existing(accounts, userParams.parse(req.params).id);
    const cleared = await throttle.clear(user.email);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'account_unlocked',
      target: { kind: 'user', id: user._id },
      details: { cleared },
    });
    res.json({ user: accountOf(user), cleared });
  });

  router.get('/api/users/:id/keys', admins, async (req, res) => {
    const { id } = userParams.parse(req.params);
    await existing(accounts, id);
    res.json({ items: (await keys.list(id)).map(apiKeyView) });
  });

  router.delete('/api/users/:id/keys/:keyId', admins, async (req, res) => {
    const { id, keyId } = userKeyParams.parse(req.params);
    const revoked = await keys.revoke(id, keyId);
    if (!revoked) throw new NotFoundError(`user ${id} has no API key ${keyId}`);
    streams?.endAll(`key:${keyId}`);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'api_key_revoked',
      target: { kind: 'api_key', id: keyId },
      details: { ownerId: id },
    });
    res.json(apiKeyView(revoked));
  });

  router.get('/api/audit', admins, async (req, res) => {
    const { action, actorId, limit, cursor } = auditQuery.parse(req.query);
    const found = await audit.list({ action, actorId }, limit + 1, cursor);
    const { items, nextCursor } = page(found, limit);
    res.json({ items: items.map(({ _id, ...entry }) => ({ id: _id, ...entry })), nextCursor });
  });

  return router;
}

async function existing(accounts: AccountStore, id: string): Promise<UserDocument> {
  const user = await accounts.find(id);
  if (!user) throw new NotFoundError(`no user ${id}`);
  return user;
}

/** The fields a change names, as they were or are (for the audit record). */
const pick = (user: UserDocument, change: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(change).map((key) => [key, user[key as keyof UserDocument]]));
