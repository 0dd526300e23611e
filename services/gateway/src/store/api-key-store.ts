import { digest, newApiKey, sameSecret } from '../domain/secrets.js';
import type { ApiKeyDocument, GatewayModels } from './models.js';

/** What a key's owner sees of it: never the secret (shown once, at creation) or its digest. */
export interface ApiKeyView {
  id: string;
  name: string;
  roles: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const apiKeyView = ({
  _id,
  name,
  roles,
  createdAt,
  lastUsedAt,
  revokedAt,
}: ApiKeyDocument): ApiKeyView => ({
  id: _id,
  name,
  roles,
  createdAt,
  lastUsedAt,
  revokedAt,
});

/** Last-used is written at most this often per key. */
const MARK_USED_EVERY_MS = 60_000;

export class ApiKeyStore {
  constructor(
    private readonly keys: GatewayModels['apiKeys'],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(userId: string, name: string, roles: string[]): Promise<{ key: string; view: ApiKeyView }> {
    const { id, secret, key } = newApiKey();
    const document: ApiKeyDocument = {
      _id: id,
      userId,
      name,
      roles,
      digest: digest(secret),
      createdAt: this.clock(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.keys.create(document);
    return { key, view: apiKeyView(document) };
  }

  /** The key for `id` if `secret` is its secret and it is not revoked; marks it used. */
  async verify(id: string, secret: string): Promise<ApiKeyDocument | undefined> {
    const key = await this.keys.findById(id).lean<ApiKeyDocument>();
    if (!key || key.revokedAt || !sameSecret(digest(secret), key.digest)) return undefined;
    const now = this.clock();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= MARK_USED_EVERY_MS) {
      await this.keys.updateOne({ _id: id }, { $set: { lastUsedAt: now } });
    }
    return key;
  }

  list(userId: string): Promise<ApiKeyDocument[]> {
    return this.keys.find({ userId }).sort({ createdAt: -1 }).lean<ApiKeyDocument[]>();
  }

  /** Revokes every live key of an account (its password changed, it was deactivated); how many. */
  async revokeAllOf(userId: string): Promise<number> {
    const { modifiedCount } = await this.keys.updateMany(
      { userId, revokedAt: null },
      { $set: { revokedAt: this.clock() } },
    );
    return modifiedCount;
  }

  /** Revokes one of the owner's keys; null when they have no such key. Revoking twice is fine. */
  async revoke(userId: string, id: string): Promise<ApiKeyDocument | null> {
    const revoked = await this.keys
      .findOneAndUpdate(
        { _id: id, userId, revokedAt: null },
        { $set: { revokedAt: this.clock() } },
        { returnDocument: 'after' },
      )
      .lean<ApiKeyDocument>();
    return revoked ?? this.keys.findOne({ _id: id, userId }).lean<ApiKeyDocument>();
  }
}
