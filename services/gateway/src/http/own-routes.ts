import type { Logger } from '@delivery/service-kit';
import type { Express, Request } from 'express';
import type { GatewayConfig } from '../config.js';
import { type EventHub, eventRoutes, StreamRegistry } from '../events/index.js';
import { buildOpenApiDocument } from '../openapi/build-document.js';
import { openApiRoutes } from '../openapi/openapi-routes.js';
import type { AccountStore } from '../store/account-store.js';
import type { ApiKeyStore } from '../store/api-key-store.js';
import type { AuditLog } from '../store/audit-log.js';
import type { SessionStore } from '../store/session-store.js';
import { authRoutes } from './auth-routes.js';
import { keyRoutes } from './key-routes.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import { userRoutes } from './user-routes.js';

export interface OwnRoutesDeps {
  config: GatewayConfig;
  accounts: AccountStore;
  sessions: SessionStore;
  keys: ApiKeyStore;
  audit: AuditLog;
  throttle: SignInThrottle;
  hub: EventHub;
  logger: Logger;
}

/**
 * The routes the gateway answers itself (the rest of /api goes to the services): one place, so
 * that a test can mount exactly what the process mounts.
 */
export function ownRoutes({ config, accounts, sessions, keys, audit, throttle, hub, logger }: OwnRoutesDeps) {
  const streams = new StreamRegistry();
  return (express: Express): void => {
    express.use(
      authRoutes({
        accounts,
        sessions,
        keys,
        audit,
        throttle,
        sessionTtlMinutes: config.SESSION_TTL_MINUTES,
        cookieSecure: config.COOKIE_SECURE,
        loginAttemptsPerMinute: config.LOGIN_ATTEMPTS_PER_MINUTE,
        streams,
      }),
    );
    express.use(keyRoutes({ keys, audit, streams }));
    express.use(userRoutes({ accounts, sessions, keys, audit, throttle, streams }));
    express.use(
      eventRoutes(hub, {
        keepAliveMs: config.EVENTS_KEEPALIVE_MS,
        maxBufferedBytes: config.EVENTS_CLIENT_MAX_BUFFERED_BYTES,
        maxStreamMs: config.EVENTS_MAX_STREAM_MS,
        maxStreams: config.EVENTS_MAX_STREAMS,
        maxStreamsPerIdentity: config.EVENTS_MAX_STREAMS_PER_IDENTITY,
        maxTotalBufferedBytes: config.EVENTS_TOTAL_MAX_BUFFERED_BYTES,
        registry: streams,
        ownersOf: streamOwners,
        logger,
      }),
    );
    express.use(openApiRoutes(buildOpenApiDocument()));
  };
}

/** A stream belongs to its session or key, and to its account (see StreamRegistry). */
export function streamOwners(req: Request): string[] {
  const owners = req.account ? [`user:${req.account._id}`] : [];
  if (req.session) owners.push(`session:${req.session._id}`);
  if (req.apiKey) owners.push(`key:${req.apiKey._id}`);
  return owners;
}
