import type { Server } from 'node:http';
import { createHttpApp, type Lifecycle, type Logger, startRetentionSweeps } from '@delivery/service-kit';
import { inputLimits } from '@delivery/service-kit/config';
import { signingKeyOf } from '@delivery/service-kit/identity';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import helmet from 'helmet';
import type { GatewayConfig } from './config.js';
import { EventHub, watchLiveEvents } from './events/index.js';
import { ensureFirstAdmin } from './first-admin.js';
import { gatewayAuthentication, refuseAmbiguousPaths } from './http/gateway-auth.js';
import { ownRoutes } from './http/own-routes.js';
import { requestId } from './http/request-id.js';
import { SignInThrottle } from './http/sign-in-throttle.js';
import { webApp } from './http/web-app.js';
import { IdentityTokens } from './proxy/identity-tokens.js';
import { proxyRoutes } from './proxy/proxy-routes.js';
import { openGatewayRuntime } from './runtime.js';
import { AccountStore } from './store/account-store.js';
import { ApiKeyStore } from './store/api-key-store.js';
import { AuditLog } from './store/audit-log.js';
import { LoginThrottleStore } from './store/login-throttle-store.js';
import { gatewayRetention } from './store/retention.js';
import { SessionStore } from './store/session-store.js';

/**
 * The gateway: accounts, sessions and keys; `/api/...` forwarded to the services with a signed
 * identity; live events; the API document.
 */
export async function startApi(config: GatewayConfig, lifecycle: Lifecycle, logger: Logger): Promise<Server> {
  const runtime = await openGatewayRuntime(config, lifecycle, logger);
  const { models } = runtime;
  const accounts = new AccountStore(models.users);
  const sessions = new SessionStore(models.sessions, {
    ttlMinutes: config.SESSION_TTL_MINUTES,
    idleMinutes: config.SESSION_IDLE_MINUTES,
  });
  const keys = new ApiKeyStore(models.apiKeys);
  const audit = new AuditLog(models.audit);
  const throttle = new SignInThrottle(
    new LoginThrottleStore(models.loginThrottles),
    {
      freeFailures: config.LOGIN_FREE_FAILURES,
      baseDelayMs: config.LOGIN_DELAY_BASE_MS,
      maxDelayMs: config.LOGIN_DELAY_MAX_MS,
      accountCeiling: config.LOGIN_ACCOUNT_CEILING,
      windowMs: config.LOGIN_ACCOUNT_WINDOW_MINUTES * 60_000,
    },
    audit,
    logger,
  );
  await ensureFirstAdmin(accounts, config, logger);

  const retention = startRetentionSweeps(
    gatewayRetention(models, config.AUDIT_RETENTION_DAYS),
    config.RETENTION_SWEEP_INTERVAL_MS,
    logger,
  );
  lifecycle.onClose('retention sweep', () => retention.stop());

  const hub = await EventHub.start(runtime.broker, {
    bufferEvents: config.EVENTS_BUFFER_EVENTS,
    bufferBytes: config.EVENTS_BUFFER_BYTES,
    maxEventBytes: config.EVENTS_MAX_EVENT_BYTES,
    logger,
  });
  lifecycle.onClose('live event metrics', watchLiveEvents(hub));

  const signingKey = signingKeyOf(config);
  if (!signingKey) throw new Error('IDENTITY_SIGNING_KEY is required'); // the config check made sure
  const limits = inputLimits(config);
  const app = createHttpApp({
    logger,
    readiness: runtime.readiness,
    limits,
    identity: { authenticate: gatewayAuthentication({ accounts, sessions, keys }) },
    prelude: (express) => {
      // Behind a load balancer or Ingress, the client's address comes from X-Forwarded-For
      // (rate limits and the audit need it): TRUST_PROXY says how many hops to believe.
      express.set('trust proxy', config.TRUST_PROXY);
      express.use(refuseAmbiguousPaths);
      express.use(requestId);
      express.use(helmet());
      express.use(webApp(config.WEB_DIST_DIR));
      // Off unless origins are configured: the web app is served from the gateway's own origin.
      if (config.CORS_ORIGINS.length > 0) {
        express.use(cors({ origin: config.CORS_ORIGINS, credentials: true, maxAge: 600 }));
      }
      express.use(cookieParser());
    },
    uploadRoutes: (express) => {
      express.use(
        proxyRoutes({
          baseUrls: {
            pipeline: config.PIPELINE_URL,
            hitl: config.HITL_URL,
            'job-runner': config.JOB_RUNNER_URL,
            'template-blueprint': config.TEMPLATE_BLUEPRINT_URL,
          },
          tokens: new IdentityTokens(signingKey, config.IDENTITY_TOKEN_TTL_SECONDS),
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
          clientBodyTimeoutMs: config.CLIENT_BODY_TIMEOUT_MS,
          bodyLimitBytes: limits.maxBodyBytes,
          uploadLimitBytes: config.UPLOAD_MAX_BYTES,
          logger,
        }),
      );
    },
    routes: ownRoutes({ config, accounts, sessions, keys, audit, throttle, hub, logger }),
  });
  const server = await lifecycle.listenHttp(app, config.PORT);
  // Registered after the server, so it runs first on shutdown: open streams end cleanly instead
  // of holding the HTTP drain until its timeout.
  lifecycle.onClose('live events', () => hub.close());
  logger.info({ address: server.address() }, 'gateway listening');
  return server;
}
