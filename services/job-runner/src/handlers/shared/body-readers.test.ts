import { createHash } from 'node:crypto';
import { digestStream } from './body-readers.js';

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('body readers', () => {
  it('hashes a streamed body chunk by chunk', async () => {
    const expected = createHash('sha256').update('hello world').digest('hex');
    await expect(digestStream(chunks('hello', ' ', 'world'), 100)).resolves.toEqual({
      sha256: expected,
      size: 11,
      exceeded: false,
    });
  });

  it('stops reading past the limit', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(10);
      }
    }
    await expect(digestStream(endless(), 25)).resolves.toEqual({ sha256: '', size: 30, exceeded: true });
    expect(pulled).toBe(3);
  });
});
