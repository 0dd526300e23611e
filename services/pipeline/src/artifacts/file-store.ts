import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { DomainError, NotFoundError } from '@delivery/service-kit';
import mongoose, { type Connection } from 'mongoose';

const { GridFSBucket, ObjectId } = mongoose.mongo;

/** More bytes than the limit allowed: the partial file is gone again when this is thrown. */
export class FileTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload_too_large';

  constructor(readonly limitBytes: number) {
    super(`the file is larger than the ${limitBytes} bytes allowed`, { limitBytes });
  }
}

export interface StoredBytes {
  /** The GridFS file id (24 hex digits). */
  id: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

/** Kept on the GridFS file document, so a file can be traced to its project without the project. */
export interface FileMeta {
  filename: string;
  metadata: Record<string, unknown>;
}

/**
 * Uploaded files in a GridFS bucket (`artifacts.files` + `artifacts.chunks`) of the service's own
 * database. Bytes are hashed and counted as they pass, chunk by chunk, so no file is ever held
 * in memory whole, and a file over its limit is stopped and removed as soon as it gets there.
 */
export class FileStore {
  private readonly bucket: InstanceType<typeof GridFSBucket>;

  constructor(
    private readonly connection: Connection,
    readonly bucketName = 'artifacts',
  ) {
    this.bucket = new GridFSBucket(connectedDb(connection), { bucketName });
  }

  /**
   * Streams `source` into a new file of at most `limitBytes`. Each write is awaited before the
   * next (GridFS answers once a full chunk is inserted), so when something fails no insert is
   * still in flight and deleting the partial file really removes all of it.
   */
  async store(
    source: AsyncIterable<Buffer | string>,
    meta: FileMeta,
    limitBytes: number,
  ): Promise<StoredBytes> {
    const upload = this.bucket.openUploadStream(meta.filename, { metadata: meta.metadata });
    const id = upload.id.toHexString();
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const piece of source) {
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        size += bytes.length;
        if (size > limitBytes) throw new FileTooLargeError(limitBytes);
        hash.update(bytes);
        await write(upload, bytes);
      }
      // 'finish' comes once the files document is inserted: only then is the file complete.
      upload.end();
      await finished(upload);
    } catch (error) {
      upload.destroy();
      await this.delete(id);
      throw error;
    }
    return { id, size, sha256: hash.digest('hex') };
  }

  /** The file's bytes; NotFoundError when there is no such file. */
  async open(fileId: string): Promise<Readable> {
    const id = toObjectId(fileId);
    const file = id && (await this.bucket.find({ _id: id }, { limit: 1 }).next());
    if (!id || !file) throw new NotFoundError(`no stored file ${fileId}`);
    return this.bucket.openDownloadStream(id);
  }

  /**
   * Removes the file and its chunks; nothing to remove is no error. Unlike `bucket.delete`, this
   * also removes the chunks of a file whose upload never got as far as its files document.
   */
  async delete(fileId: string): Promise<void> {
    const id = toObjectId(fileId);
    if (!id) return;
    const db = connectedDb(this.connection);
    await db.collection(`${this.bucketName}.files`).deleteOne({ _id: id });
    await db.collection(`${this.bucketName}.chunks`).deleteMany({ files_id: id });
  }
}

function connectedDb(connection: Connection) {
  if (!connection.db) throw new Error('FileStore: the mongoose connection is not open yet');
  return connection.db;
}

// Ids come from URLs: anything but 24 hex digits names no file (ObjectId would throw or accept 12-byte strings).
const toObjectId = (fileId: string) => (/^[0-9a-f]{24}$/i.test(fileId) ? new ObjectId(fileId) : undefined);

const write = (stream: Writable, bytes: Buffer) =>
  new Promise<void>((resolve, reject) => {
    stream.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
