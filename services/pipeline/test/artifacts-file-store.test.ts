import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { NotFoundError } from '@delivery/service-kit';
import { FileTooLargeError } from '../src/artifacts/file-store.js';
import { ArtifactsEnv } from './artifacts-harness.js';

// GridFS's default chunk is 255 KiB: these sizes span several chunks and end in a partial one.
const KiB = 1024;
const meta = { filename: 'data.bin', metadata: { projectId: 'p-1', kind: 'artifact' } };
const pieces = (count: number, size: number) =>
  Readable.from(Array.from({ length: count }, (_, i) => Buffer.alloc(size, i)));

let env: ArtifactsEnv;
beforeAll(async () => {
  env = await ArtifactsEnv.start();
});
afterAll(() => env.close());

describe('FileStore on the embedded Mongo wire server', () => {
  it('stores, reads back and deletes a multi-chunk file, reporting its size and sha256', async () => {
    const expected = Buffer.concat(await pieces(10, 100 * KiB).toArray());
    const stored = await env.files.store(pieces(10, 100 * KiB), meta, 1_000 * KiB);
    expect(stored).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      size: expected.length,
      sha256: createHash('sha256').update(expected).digest('hex'),
    });
    expect(await env.bucketCounts()).toEqual({ files: 1, chunks: 4 });
    expect((await buffer(await env.files.open(stored.id))).equals(expected)).toBe(true);

    await env.files.delete(stored.id);
    expect(await env.bucketCounts()).toEqual({ files: 0, chunks: 0 });
    await expect(env.files.open(stored.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('accepts a file of exactly the limit and an empty one', async () => {
    const exact = await env.files.store(pieces(3, 100 * KiB), meta, 300 * KiB);
    expect(exact.size).toBe(300 * KiB);
    const empty = await env.files.store(Readable.from([]), meta, 1);
    expect((await buffer(await env.files.open(empty.id))).length).toBe(0);
    await env.files.delete(exact.id);
    await env.files.delete(empty.id);
  });

  it('stops one byte past the limit and leaves no chunk of the partial file behind', async () => {
    const attempt = env.files.store(pieces(10, 100 * KiB), meta, 900 * KiB);
    await expect(attempt).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(attempt).rejects.toMatchObject({ status: 413, details: { limitBytes: 900 * KiB } });
    expect(await env.bucketCounts()).toEqual({ files: 0, chunks: 0 });
  });

  it('removes the partial file when the source fails mid-way', async () => {
    async function* failing() {
      yield Buffer.alloc(600 * KiB, 1);
      throw new Error('client went away');
    }
    await expect(env.files.store(failing(), meta, 10_000 * KiB)).rejects.toThrow('client went away');
    expect(await env.bucketCounts()).toEqual({ files: 0, chunks: 0 });
  });

  it('treats ids that name no file as not found, and deleting them as nothing to do', async () => {
    for (const id of ['not-an-id', '000000000000000000000000', 'aaaaaaaaaaaa']) {
      await expect(env.files.open(id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(env.files.delete(id)).resolves.toBeUndefined();
    }
  });
});
