import { type Connection, type Model, Schema } from 'mongoose';

/** A person who may sign in. `passwordHash` is null until an invitation is accepted. */
export interface UserDocument {
  _id: string;
  email: string;
  name: string;
  roles: string[];
  passwordHash: string | null;
  active: boolean;
  /** The pending invitation's digest and expiry (the token itself was shown once). */
  invitation: { digest: string; expiresAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A signed-in browser. `_id` is the digest of the cookie's session id. */
export interface SessionDocument {
  _id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** A key for scripts. `_id` is the key's public id; `digest` is its secret's. */
export interface ApiKeyDocument {
  _id: string;
  userId: string;
  name: string;
  roles: string[];
  digest: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Sign-in throttling (see domain/login-throttle.ts), keyed by the email tried, whether or not it
 * has an account: `pair:<email>:<address>` holds that address's wrong passwords in a row and when
 * it may try again; `account:<email>:<window>` the account's wrong passwords from everywhere in
 * one window. Removed by MongoDB once `expiresAt` has passed.
 */
export interface LoginThrottleDocument {
  _id: string;
  email: string;
  failures: number;
  nextAttemptAt: Date | null;
  expiresAt: Date;
}

/** One access event: sign-ins (also failed ones), sign-outs, keys, and every admin action. */
export interface AuditDocument {
  _id: string;
  createdAt: Date;
  action: string;
  actor: { kind: 'user' | 'anonymous'; id: string; name: string };
  target: { kind: 'user' | 'api_key' | 'session'; id: string } | null;
  details: Record<string, unknown>;
  ip: string | null;
}

const options = { versionKey: false, minimize: false } as const;

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    roles: { type: [String], default: [] },
    passwordHash: { type: String, default: null },
    active: { type: Boolean, required: true },
    invitation: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'users' },
);
userSchema.index({ createdAt: -1, _id: -1 });

const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    // A TTL index: MongoDB removes a session once its absolute expiry has passed. Idle sessions
    // are refused on read (SessionStore.resume) and removed by that TTL later. The embedded test
    // store never expires anything, so the read check stays and the retention sweep does the same.
    expiresAt: { type: Date, required: true, expires: 0 },
    lastSeenAt: { type: Date, required: true },
  },
  { ...options, collection: 'sessions' },
);

const apiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], default: [] },
    digest: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { ...options, collection: 'api_keys' },
);
apiKeySchema.index({ userId: 1, createdAt: -1 });

const loginThrottleSchema = new Schema<LoginThrottleDocument>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, index: true },
    failures: { type: Number, required: true },
    nextAttemptAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true, expires: 0 },
  },
  { ...options, collection: 'login_throttles' },
);

const auditSchema = new Schema<AuditDocument>(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    action: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    target: { type: Schema.Types.Mixed, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    ip: { type: String, default: null },
  },
  { ...options, collection: 'access_audit' },
);
auditSchema.index({ createdAt: -1, _id: -1 });

function model<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

export const gatewayModels = (connection: Connection) => ({
  users: model(connection, 'User', userSchema),
  sessions: model(connection, 'Session', sessionSchema),
  apiKeys: model(connection, 'ApiKey', apiKeySchema),
  loginThrottles: model(connection, 'LoginThrottle', loginThrottleSchema),
  audit: model(connection, 'AccessAudit', auditSchema),
});
export type GatewayModels = ReturnType<typeof gatewayModels>;
