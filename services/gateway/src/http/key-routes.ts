import { gatewayRoutes as routes } from '@delivery/contracts/routes';
import { ForbiddenError, NotFoundError, serveRoute } from '@delivery/service-kit';
import { Router } from 'express';
import { rolesBeyond } from '../domain/roles.js';
import type { StreamRegistry } from '../events/stream-registry.js';
import { type ApiKeyStore, apiKeyView } from '../store/api-key-store.js';
import type { AuditLog } from '../store/audit-log.js';
import { auditActor, clientAddress } from './audit-context.js';

/** A person's own API keys: create (the key is in this one answer only), list, revoke. */
export function keyRoutes({
  keys,
  audit,
  streams,
}: {
  keys: ApiKeyStore;
  audit: AuditLog;
  /** Open live-event streams, ended when their key is revoked. */
  streams?: StreamRegistry;
}): Router {
  const router = Router();

  serveRoute(router, routes.createKey, async ({ identity, body, req }) => {
    // A key cannot make keys: a leaked key must not be able to outlive its own revocation.
    if (!req.session) throw new ForbiddenError('API keys are created from a signed-in session');
    const roles = body.roles ?? [...identity.roles];
    const beyond = rolesBeyond(roles, identity.roles);
    if (beyond.length > 0) {
      throw new ForbiddenError('a key can only have roles its owner holds', { rolesNotHeld: beyond });
    }
    const { key, view } = await keys.create(identity.id, body.name, roles);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'api_key_created',
      target: { kind: 'api_key', id: view.id },
      details: { name: view.name, roles },
    });
    return { status: 201, body: { ...view, key } };
  });

  serveRoute(router, routes.listKeys, async ({ identity }) => ({
    body: { items: (await keys.list(identity.id)).map(apiKeyView) },
  }));

  serveRoute(router, routes.revokeKey, async ({ identity, params: { id }, req }) => {
    const revoked = await keys.revoke(identity.id, id);
    if (!revoked) throw new NotFoundError(`you have no API key ${id}`);
    streams?.endAll(`key:${id}`);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'api_key_revoked',
      target: { kind: 'api_key', id },
      details: {},
    });
    return { body: apiKeyView(revoked) };
  });

  return router;
}
