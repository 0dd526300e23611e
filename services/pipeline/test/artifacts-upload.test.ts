import { createHash } from 'node:crypto';
import { ConflictError } from '@delivery/service-kit';
import { authHeaders, userToken, waitFor } from '@delivery/testing';
import type { ArtifactSpec } from '../src/domain/project-state.js';
import {
  ArtifactsEnv,
  FORM_END,
  MULTIPART_TYPE,
  multipart,
  openRequest,
  PART_END,
  partHeader,
  send,
} from './artifacts-harness.js';

const MiB = 1024 * 1024;
const specs: ArtifactSpec[] = [
  {
    name: 'app.zip',
    contentType: ['application/zip', 'application/x-zip-compressed'],
    maxSizeBytes: 600_000,
    required: true,
  },
  { name: 'big.bin', contentType: 'application/octet-stream', maxSizeBytes: 64 * MiB, required: true },
];
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const DEV = { id: 'dev-1', name: 'Devon', roles: ['developer'] };

let env: ArtifactsEnv;
let projectId: string;
beforeAll(async () => {
  env = await ArtifactsEnv.start();
  projectId = await env.insertProject(specs, [DEV.id]);
});
afterAll(() => env.close());

const uploadHeaders = (token = userToken({ ...DEV, audience: 'pipeline' })) => ({
  ...authHeaders(token),
  'content-type': MULTIPART_TYPE,
});
const upload = (body: Buffer, path = `/projects/${projectId}/artifacts`) =>
  send(env.url, 'POST', path, uploadHeaders(), body);

/** Sends `body`, expects the refusal, and checks that nothing was stored anywhere. */
async function expectRefused(body: Buffer, status: number, error: string, path?: string) {
  const before = await env.bucketCounts();
  const filesBefore = await env.projectFiles(projectId);
  const res = await upload(body, path);
  expect({ status: res.status, error: res.json().error }).toEqual({ status, error });
  expect(await env.bucketCounts()).toEqual(before);
  expect(await env.projectFiles(projectId)).toEqual(filesBefore);
  return res.json();
}

describe('uploading an artifact', () => {
  it('keeps the bytes with their sha256, size and type, under the required name given before the file', async () => {
    const content = Buffer.from('PK\u0003\u0004 not really a zip, but bytes all the same');
    const res = await upload(
      multipart({ name: 'app.zip' }, { filename: 'build-1234.zip', contentType: 'application/zip', content }),
    );
    expect(res.status).toBe(201);
    const file = res.json();
    expect(file).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      kind: 'artifact',
      name: 'app.zip',
      contentType: 'application/zip',
      size: content.length,
      sha256: sha256(content),
      uploadedBy: { kind: 'user', id: DEV.id, name: DEV.name },
      uploadedAt: expect.any(String),
    });
    expect(env.stored.at(-1)).toMatchObject({ projectId, file: { id: file.id, sha256: sha256(content) } });

    const download = await send(env.url, 'GET', `/projects/${projectId}/artifacts/${file.id}`, authHeaders());
    expect(download.status).toBe(200);
    expect(download.body.equals(content)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'application/zip',
      'content-length': String(content.length),
      etag: `"${sha256(content)}"`,
      'content-disposition': 'attachment; filename=app.zip',
    });
  });

  it('takes the filename as the name when no name field is given', async () => {
    const res = await upload(
      multipart({}, { filename: 'app.zip', contentType: 'application/x-zip-compressed', content: 'zip' }),
    );
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'app.zip',
      contentType: 'application/x-zip-compressed',
      size: 3,
    });
  });

  it('streams a 30 MB file into the store while the request is still being sent', async () => {
    const piece = Buffer.alloc(MiB, 7);
    const hash = createHash('sha256');
    const request = openRequest(env.url, 'POST', `/projects/${projectId}/artifacts`, uploadHeaders());
    const chunksBefore = (await env.bucketCounts()).chunks;
    await request.write(
      partHeader({ name: 'file', filename: 'big.bin', contentType: 'application/octet-stream' }),
    );
    for (let sent = 0; sent < 10; sent += 1) {
      await request.write(piece);
      hash.update(piece);
    }
    // 10 MiB sent and the request not ended: a server that buffered the body would have stored nothing yet.
    await waitFor(
      async () => (await env.bucketCounts()).chunks - chunksBefore >= 16,
      20_000,
      'chunks stored mid-upload',
    );
    for (let sent = 10; sent < 30; sent += 1) {
      await request.write(piece);
      hash.update(piece);
    }
    request.end(Buffer.concat([PART_END, FORM_END]));
    const res = await request.response;
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ name: 'big.bin', size: 30 * MiB, sha256: hash.digest('hex') });

    const download = await fetch(`${env.url}/projects/${projectId}/artifacts/${res.json().id}`, {
      headers: authHeaders(),
    });
    const downloaded = createHash('sha256');
    let size = 0;
    for await (const chunk of download.body as AsyncIterable<Uint8Array>) {
      downloaded.update(chunk);
      size += chunk.length;
    }
    expect({ size, sha256: downloaded.digest('hex') }).toEqual({ size: 30 * MiB, sha256: res.json().sha256 });
  });

  it('removes what an upload cut off mid-way had stored', async () => {
    const before = await env.bucketCounts();
    const recorded = env.stored.length;
    const request = openRequest(env.url, 'POST', `/projects/${projectId}/artifacts`, uploadHeaders());
    request.response.catch(() => undefined);
    await request.write(
      partHeader({ name: 'file', filename: 'big.bin', contentType: 'application/octet-stream' }),
    );
    for (let sent = 0; sent < 4; sent += 1) await request.write(Buffer.alloc(MiB, 1));
    await waitFor(
      async () => (await env.bucketCounts()).chunks > before.chunks,
      20_000,
      'chunks stored mid-upload',
    );
    request.abort();
    await waitFor(
      async () => {
        const now = await env.bucketCounts();
        return now.chunks === before.chunks && now.files === before.files;
      },
      20_000,
      'the partial file removed',
    );
    expect(env.stored).toHaveLength(recorded);
  });
});

describe('refusing an upload stores nothing', () => {
  it('413 past the artifact size limit, the chunks already written removed again', async () => {
    const content = Buffer.alloc(1_000_000, 1);
    const body = await expectRefused(
      multipart({ name: 'app.zip' }, { filename: 'app.zip', contentType: 'application/zip', content }),
      413,
      'payload_too_large',
    );
    expect(body.details).toEqual({ limitBytes: 600_000 });
  });

  it('415 for a type the blueprint does not accept', async () => {
    const body = await expectRefused(
      multipart({ name: 'app.zip' }, { filename: 'app.zip', contentType: 'text/plain', content: 'x' }),
      415,
      'unsupported_media_type',
    );
    expect(body.details).toEqual({ accepted: ['application/zip', 'application/x-zip-compressed'] });
  });

  it('422 naming the expected artifacts for a name the blueprint does not ask for', async () => {
    const body = await expectRefused(
      multipart({ name: 'other.zip' }, { contentType: 'application/zip', content: 'x' }),
      422,
      'unknown_artifact',
    );
    expect(body.details).toEqual({ allowedNames: ['app.zip', 'big.bin'] });
  });

  it('409 blueprint_missing while the project has no requirements', async () => {
    const waiting = await env.insertProject(null, [DEV.id]);
    await expectRefused(
      multipart({ name: 'app.zip' }, { contentType: 'application/zip', content: 'x' }),
      409,
      'blueprint_missing',
      `/projects/${waiting}/artifacts`,
    );
  });

  it('400 for forms that are not one file in the part "file", however they are wrong', async () => {
    const zip = { filename: 'app.zip', contentType: 'application/zip', content: 'x'.repeat(300_000) };
    const cases: [Buffer, RegExp][] = [
      [multipart({ name: 'app.zip' }), /no file/],
      [multipart({ name: 'app.zip' }, zip, zip), /exactly one file/],
      [multipart({ name: 'app.zip', comment: 'hi' }, zip), /unknown field "comment"/],
      [multipart({ name: 'app.zip' }, { ...zip, part: 'upload' }), /unknown file part "upload"/],
      [
        Buffer.concat([
          multipart({}, zip).subarray(0, -FORM_END.length),
          partHeader({ name: 'name' }),
          Buffer.from('app.zip'),
          PART_END,
          FORM_END,
        ]),
        /comes after the file/,
      ],
      [multipart({ name: 'app.zip' }, zip).subarray(0, 200_000), /malformed/],
      [Buffer.from('not multipart at all'), /malformed/],
    ];
    for (const [body, message] of cases) {
      const refused = await expectRefused(body, 400, 'malformed_upload');
      expect(refused.message).toMatch(message);
    }
  });

  it('415 for a body that is not multipart, before reading it', async () => {
    const before = await env.bucketCounts();
    const json = await send(
      env.url,
      'POST',
      `/projects/${projectId}/artifacts`,
      { ...authHeaders(), 'content-type': 'application/json' },
      Buffer.from('{"name":"app.zip"}'),
    );
    expect({ status: json.status, error: json.json().error }).toEqual({
      status: 415,
      error: 'unsupported_media_type',
    });
    const empty = await send(env.url, 'POST', `/projects/${projectId}/artifacts`, authHeaders());
    expect(empty.status).toBe(415);
    expect(await env.bucketCounts()).toEqual(before);
  });

  it('removes the file again when recording it on the project fails, answering with that error', async () => {
    env.failOnStored = new ConflictError('the project moved on');
    try {
      await expectRefused(
        multipart({ name: 'app.zip' }, { contentType: 'application/zip', content: 'x' }),
        409,
        'conflict',
      );
    } finally {
      env.failOnStored = undefined;
    }
  });
});
