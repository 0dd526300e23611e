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

/** Reads a text body up to `maxBytes`; beyond that the caller's input is unreasonable, not transiently broken. */
export async function readTextLimited(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`body larger than ${maxBytes} bytes`);
  }
}
