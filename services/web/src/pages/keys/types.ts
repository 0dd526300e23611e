/** One of the signed-in person's API keys, as the gateway lists it (never the secret). */
export interface ApiKey {
  id: string;
  name: string;
  roles: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to creating a key: the only time `key` is ever shown. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}
