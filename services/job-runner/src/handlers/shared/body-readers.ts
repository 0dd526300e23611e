import { createHash } from 'node:crypto';

export interface Digest {
  sha256: string;
  /** Bytes read; when `exceeded`, reading stopped just past the limit, so this is a lower bound. */
  size: number;
  exceeded: boolean;
}

/**
 * Hashes a body as it streams, so a large artifact never sits in memory. Stops once `maxBytes` is
 * passed: the artifact is too large whatever its hash, and reading on would only waste bandwidth.
 */
export async function digestStream(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Digest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return { sha256: '', size, exceeded: true };
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), size, exceeded: false };
}
