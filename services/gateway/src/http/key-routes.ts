import { ForbiddenError, identityOf, NotFoundError } from '@delivery/service-kit';
import { Router } from 'express';
import { rolesBeyond } from '../domain/roles.js';
import type { StreamRegistry } from '../events/stream-registry.js';
import { type ApiKeyStore, apiKeyView } from '../store/api-key-store.js';
import type { AuditLog } from '../store/audit-log.js';
import { auditActor, clientAddress } from './audit-context.js';
import { createKeyBody, keyParams } from './schemas.js';

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

  router.post('/api/keys', async (req, res) => {
    const identity = identityOf(req);
    const body = createKeyBody.parse(req.body);
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
    res.status(201).json({ ...view, key });
  });

  router.get('/api/keys', async (req, res) => {
    res.json({ items: (await keys.list(identityOf(req).id)).map(apiKeyView) });
  });

  router.delete('/api/keys/:id', async (req, res) => {
    const { id } = keyParams.parse(req.params);
    const revoked = await keys.revoke(identityOf(req).id, id);
    if (!revoked) throw new NotFoundError(`you have no API key ${id}`);
    streams?.endAll(`key:${id}`);
    await audit.record({
      actor: auditActor(req),
      ip: clientAddress(req),
      action: 'api_key_revoked',
      target: { kind: 'api_key', id },
      details: {},
    });
    res.json(apiKeyView(revoked));
  });

  return router;
}
