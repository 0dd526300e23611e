import { gatewayRoutes as routes } from '@delivery/contracts/routes';
import { ConflictError, encodeCursor, NotFoundError, serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { digest, newSecret } from '../domain/secrets.js';
import type { StreamRegistry } from '../events/stream-registry.js';
import { type AccountStore, accountOf } from '../store/account-store.js';
import { type ApiKeyStore, apiKeyView } from '../store/api-key-store.js';
import type { AuditLog } from '../store/audit-log.js';
import type { UserDocument } from '../store/models.js';
import type { SessionStore } from '../store/session-store.js';
import { auditActor, clientAddress } from './audit-context.js';
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
  // Only admins reach these handlers: the contracts name the role, and serveRoute enforces it.
  const router = Router();

  serveRoute(router, routes.listUsers, async ({ query: { limit, cursor } }) => {
    const { items, nextCursor } = page(await accounts.list(limit + 1, cursor), limit);
    return { body: { items: items.map(accountOf), nextCursor } };
  });

  serveRoute(router, routes.getUser, async ({ params }) => ({
    body: accountOf(await existing(accounts, params.id)),
  }));

  // No mail is sent: the answer carries the invitation token, once, for the admin to pass on.
  serveRoute(router, routes.inviteUser, async ({ body, req }) => {
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
    return { status: 201, body: { user: accountOf(user), invitation: { token, expiresAt } } };
  });

  serveRoute(router, routes.updateUser, async ({ params: { id }, body: change, identity, req }) => {
    const before = await existing(accounts, id);
    // An admin cannot lock themselves out: someone must be left to undo a mistake.
    if (
      id === identity.id &&
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
    return { body: accountOf(after) };
  });

  // Wrong passwords never lock anyone out, but a person who must get in now (or whose address
  // is shared with someone guessing) should not have to wait the throttle out.
  serveRoute(router, routes.unlockUser, async ({ params, req }) => {
    const user = await existing(accounts, params.id);
    const cleared = await throttle.clear(user.email);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'account_unlocked',
      target: { kind: 'user', id: user._id },
      details: { cleared },
    });
    return { body: { user: accountOf(user), cleared } };
  });

  serveRoute(router, routes.listUserKeys, async ({ params: { id } }) => {
    await existing(accounts, id);
    return { body: { items: (await keys.list(id)).map(apiKeyView) } };
  });

  serveRoute(router, routes.revokeUserKey, async ({ params: { id, keyId }, req }) => {
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
    return { body: apiKeyView(revoked) };
  });

  serveRoute(router, routes.audit, async ({ query: { action, actorId, limit, cursor } }) => {
    const found = await audit.list({ action, actorId }, limit + 1, cursor);
    const { items, nextCursor } = page(found, limit);
    return { body: { items: items.map(({ _id, ...entry }) => ({ id: _id, ...entry })), nextCursor } };
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
