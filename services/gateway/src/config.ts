import { emailSchema } from '@delivery/contracts/routes';
import {
  baseConfigSchema,
  migrationConfigSchema,
  retentionDays,
  retentionSweepInterval,
  upstreamUrlsSchema,
} from '@delivery/service-kit/config';
import { signingKeyCheck, signingKeyConfigShape } from '@delivery/service-kit/identity';
import { z } from 'zod';
import { DEFAULT_WEB_DIST } from './http/web-dist.js';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const csv = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const replacedBy = (replacement: string) =>
  z
    .string()
    .optional()
    .refine((value) => value === undefined, `was replaced by ${replacement}; remove it`);

/** The database this service owns: its process and its migration read it. */
const database = {
  SERVICE_NAME: z.string().min(1).default('gateway'),
  MONGO_DB: z.string().min(1).default('gateway'),
};

export const configSchema = baseConfigSchema
  .extend({
    ...signingKeyConfigShape('gateway'),
    ...database,
    /**
     * Each one URL (a Kubernetes Service, a load balancer), or the URLs of the service's replicas
     * separated by commas: taken in turn, one that refuses connections passed over for a while.
     */
    PIPELINE_URL: upstreamUrlsSchema,
    HITL_URL: upstreamUrlsSchema,
    JOB_RUNNER_URL: upstreamUrlsSchema,
    TEMPLATE_BLUEPRINT_URL: upstreamUrlsSchema,
    /**
     * A service that has not answered this long after it got the request's body gets 504 (its
     * breaker counts it).
     */
    UPSTREAM_TIMEOUT_MS: ms(30_000, 100),
    /** A request body with no next piece for this long gets 408 (the client's fault: never counted). */
    CLIENT_BODY_TIMEOUT_MS: ms(30_000, 100),
    /** The first start's admin; without a password one is generated and printed once. */
    ADMIN_EMAIL: emailSchema.default('admin@localhost'),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    /** A session ends this long after sign-in, or after this long unused, whichever comes first. */
    SESSION_TTL_MINUTES: count(12 * 60),
    SESSION_IDLE_MINUTES: count(60),
    /** Days the access audit (sign-ins, keys, account changes) is kept; 0 keeps it forever. */
    AUDIT_RETENTION_DAYS: retentionDays(365),
    /** How often records past their retention (and expired sessions) are removed. */
    RETENTION_SWEEP_INTERVAL_MS: retentionSweepInterval(),
    /**
     * Sign-in throttling (no account is ever locked): wrong passwords in a row for one account
     * from one address that cost no wait; past them the address waits LOGIN_DELAY_BASE_MS before
     * trying that account again, doubled with each further wrong password, up to LOGIN_DELAY_MAX_MS.
     */
    LOGIN_FREE_FAILURES: count(5),
    LOGIN_DELAY_BASE_MS: ms(1_000, 1),
    LOGIN_DELAY_MAX_MS: ms(15 * 60_000, 1),
    /**
     * Wrong passwords for one account from all addresses within LOGIN_ACCOUNT_WINDOW_MINUTES that
     * raise an alert (error log and audit) and make every address wait from its first wrong one.
     */
    LOGIN_ACCOUNT_CEILING: count(50),
    LOGIN_ACCOUNT_WINDOW_MINUTES: count(60),
    /** Dropped with the lockout they configured: refused, so a deployment still setting them learns why. */
    LOGIN_MAX_FAILURES: replacedBy(
      'LOGIN_FREE_FAILURES (wrong passwords now slow an address down; nothing locks an account)',
    ),
    LOGIN_LOCK_MINUTES: replacedBy(
      'LOGIN_DELAY_BASE_MS and LOGIN_DELAY_MAX_MS (nothing locks an account any more)',
    ),
    /** Sign-in attempts one client address may make per minute (per gateway replica). */
    LOGIN_ATTEMPTS_PER_MINUTE: count(30),
    /** Send the session cookie over HTTPS only (set it wherever the gateway is behind TLS). */
    COOKIE_SECURE: z.stringbool().default(false),
    /** Origins allowed to call the API from a browser (CORS); none by default. */
    CORS_ORIGINS: csv,
    /** The largest upload (multipart) a request may carry; other bodies have HTTP_BODY_MAX_BYTES. */
    UPLOAD_MAX_BYTES: count(200 * 1024 * 1024),
    /** Live events kept for clients that reconnect (count and bytes), and how big one may be. */
    EVENTS_BUFFER_EVENTS: count(1_000),
    EVENTS_BUFFER_BYTES: count(8 * 1024 * 1024),
    EVENTS_MAX_EVENT_BYTES: count(64 * 1024),
    /** A comment this often keeps idle streams open through proxies. */
    EVENTS_KEEPALIVE_MS: ms(15_000, 100),
    /** Unsent bytes a slow client may have before it is cut off (it reconnects and resumes). */
    EVENTS_CLIENT_MAX_BUFFERED_BYTES: count(512 * 1024),
    /** A stream ends after this long; its client reconnects, is authenticated again and resumes. */
    EVENTS_MAX_STREAM_MS: ms(5 * 60_000, 1_000),
    EVENTS_MAX_STREAMS: count(5_000),
    /** Streams one person (all their sessions and keys) may have open per replica; more get 429. */
    EVENTS_MAX_STREAMS_PER_IDENTITY: count(10),
    /** Unsent bytes all streams of a replica may hold together; past it the slowest are cut off. */
    EVENTS_TOTAL_MAX_BUFFERED_BYTES: count(64 * 1024 * 1024),
    /**
     * Which proxies in front of the gateway to believe about the client's address: a hop count
     * (`1` behind one Ingress), or addresses/CIDRs (`loopback, 10.0.0.0/8`); none by default.
     */
    TRUST_PROXY: z
      .string()
      .default('')
      .transform((value) => (value === '' ? false : /^\d+$/.test(value) ? Number(value) : value)),
    /** The built web app the gateway serves at `/`. */
    WEB_DIST_DIR: z.string().min(1).default(DEFAULT_WEB_DIST),
    /** How long a token the gateway signs for one request stays valid. */
    IDENTITY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  })
  .refine((config) => config.LOGIN_DELAY_BASE_MS <= config.LOGIN_DELAY_MAX_MS, {
    message: 'must not be smaller than LOGIN_DELAY_BASE_MS',
    path: ['LOGIN_DELAY_MAX_MS'],
  })
  .superRefine(signingKeyCheck(() => 'the gateway signs the identity of every request it forwards'));
export type GatewayConfig = z.infer<typeof configSchema>;

/** What `npm run migrate` (src/migrate.ts) reads: where the database is, and which it is. */
export const migrateConfigSchema = migrationConfigSchema.extend(database);
