import type { Readable } from 'node:stream';
import { pipelineRoutes } from '@delivery/contracts/routes';
import busboy from 'busboy';
import type { Request } from 'express';
import { malformedUpload } from './upload-errors.js';

/** The part that carries the file, as the upload routes' contracts name it. */
const FILE_PART = pipelineRoutes.uploadArtifact.body.filePart;
/** Text fields are names, not content: anything longer is a mistake. */
const FIELD_MAX_BYTES = 1_024;

export interface IncomingFile {
  /** The filename the part gave, without any directory; '' when it gave none. */
  filename: string;
  /** The part's content type without parameters (`application/octet-stream` when it gave none). */
  declaredContentType: string;
  /** The bytes, as they arrive: read it to the end or fail. */
  stream: Readable;
}

export interface SingleFileForm<T> {
  /** The text fields the form may carry, each at most once and all before the file part. */
  fields: readonly string[];
  /** Decides on and keeps the file; what it throws is the answer to the request. */
  store(file: IncomingFile, fields: Readonly<Record<string, string>>): Promise<T>;
  /** Removes what `store` kept when the rest of the form turns out to be wrong. */
  discard(stored: T): Promise<void>;
}

type Outcome<T> = { stored: T } | { failed: unknown };

/**
 * Reads a multipart/form-data request that carries exactly one file in the part named "file",
 * handing the file to `store` while it streams in (busboy parses the body incrementally, so only
 * a chunk at a time is in memory). The first thing wrong stops the parsing, drops the rest of the
 * body and becomes the error; a file already kept is discarded, so a refusal stores nothing.
 */
export function receiveSingleFile<T>(req: Request, form: SingleFileForm<T>): Promise<T> {
  let parser: busboy.Busboy;
  try {
    // Filenames are UTF-8 as browsers and curl send them (busboy's default reads them as Latin-1).
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { fieldSize: FIELD_MAX_BYTES },
    });
  } catch (error) {
    return Promise.reject(malformedUpload(`the multipart body cannot be read: ${(error as Error).message}`));
  }
  const fields: Record<string, string> = {};
  let refusal: Error | undefined;
  let storing: Promise<Outcome<T>> | undefined;

  const refuse = (error: Error) => {
    refusal ??= error;
    req.unpipe(parser);
    // The rest of the body is read and dropped, so a client still sending gets the answer.
    req.resume();
    parser.destroy();
  };

  parser.on('field', (name, value, info) => {
    if (refusal) return;
    if (storing) refuse(malformedUpload(`field "${name}" comes after the file: send fields before it`));
    else if (name === FILE_PART)
      refuse(malformedUpload(`the "${FILE_PART}" part must be a file: give it a filename`));
    else if (!form.fields.includes(name))
      refuse(malformedUpload(`unknown field "${name}"; ${expected(form.fields)}`));
    else if (Object.hasOwn(fields, name)) refuse(malformedUpload(`field "${name}" is given more than once`));
    else if (info.valueTruncated)
      refuse(malformedUpload(`field "${name}" is longer than ${FIELD_MAX_BYTES} bytes`));
    else fields[name] = value;
  });

  parser.on('file', (name, stream, info) => {
    // A file stream fails whenever parsing stops (a refusal, a cut-off body): the refusal says why.
    stream.on('error', () => undefined);
    if (refusal || name !== FILE_PART || storing) {
      stream.resume();
      if (name !== FILE_PART) {
        refuse(
          malformedUpload(`unknown file part "${name}": send the file in the part named "${FILE_PART}"`),
        );
      } else if (storing) refuse(malformedUpload('send exactly one file'));
      return;
    }
    const file = { filename: info.filename ?? '', declaredContentType: info.mimeType, stream };
    storing = form.store(file, { ...fields }).then(
      (stored) => ({ stored }),
      (error: unknown) => {
        refuse(error instanceof Error ? error : new Error(String(error)));
        return { failed: error };
      },
    );
  });

  parser.on('error', (error: Error) =>
    refuse(malformedUpload(`the multipart body is malformed: ${error.message}`)),
  );
  const cutOff = () => refuse(malformedUpload('the upload was cut off before its end'));
  req.on('error', cutOff);
  req.on('close', () => {
    if (!req.complete) cutOff();
  });

  // The parser closes once the file's last bytes were read, which may be before they are kept.
  const settle = async (): Promise<T> => {
    const outcome = await storing;
    if (!refusal && outcome && 'stored' in outcome) return outcome.stored;
    if (outcome && 'stored' in outcome) {
      await form.discard(outcome.stored).catch((error: unknown) => {
        req.log.error({ err: error }, 'a refused upload could not be removed');
      });
    }
    throw refusal ?? malformedUpload(`no file: send it in a part named "${FILE_PART}"`);
  };
  return new Promise<T>((resolve, reject) => {
    parser.once('close', () => {
      settle().then(resolve, reject);
    });
    req.pipe(parser);
  });
}

const expected = (fields: readonly string[]) =>
  fields.length === 0
    ? `send only the part "${FILE_PART}"`
    : `expected ${fields.map((f) => `"${f}"`).join(', ')} and "${FILE_PART}"`;
