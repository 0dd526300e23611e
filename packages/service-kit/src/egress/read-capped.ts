/**
 * Reads a body into memory up to `maxBytes`. Past the cap it stops pulling and calls `onOver`
 * (which aborts the request), so a 10 GB answer costs at most the cap plus one chunk; then it
 * throws what `onOver` returns, or, with `truncate`, keeps the first `maxBytes` (for error pages,
 * where a snippet is all anyone reads).
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  onOver: () => Error,
  truncate = false,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      const error = onOver();
      await reader.cancel(error).catch(() => undefined);
      if (!truncate) throw error;
      chunks.push(value.subarray(0, value.byteLength - (size - maxBytes)));
      return Buffer.concat(chunks);
    }
    chunks.push(value);
  }
}
