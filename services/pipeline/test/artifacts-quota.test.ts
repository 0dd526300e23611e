import { userToken } from '@delivery/testing';
import { projectModel } from '../src/store/project-model.js';
import { ArtifactsEnv, MULTIPART_TYPE, multipart, send } from './artifacts-harness.js';

// A project takes PROJECT_MAX_FILES files and PROJECT_MAX_BYTES bytes; a closed one takes none.
// Each refusal names the limit and comes before a byte is kept.

const specs = [{ name: 'app.zip', contentType: 'application/zip', maxSizeBytes: 100_000, required: true }];
const manager = userToken({ id: 'dm-1', name: 'dm-1', roles: ['delivery_manager'], audience: 'pipeline' });

let env: ArtifactsEnv;
beforeAll(async () => {
  env = await ArtifactsEnv.start({ PROJECT_MAX_FILES: 2, PROJECT_MAX_BYTES: 3_000 });
});
afterAll(() => env.close());

const zipOf = (bytes: number) =>
  multipart({ name: 'app.zip' }, { contentType: 'application/zip', content: 'z'.repeat(bytes) });
const upload = (projectId: string, body: Buffer) =>
  send(
    env.url,
    'POST',
    `/projects/${projectId}/artifacts`,
    { authorization: `Bearer ${manager}`, 'content-type': MULTIPART_TYPE },
    body,
  );

test('an archived project refuses an upload with 409 before a byte is stored', async () => {
  const projectId = await env.insertProject(specs);
  await projectModel(env.connection).updateOne({ _id: projectId }, { $set: { status: 'archived' } });
  const before = await env.bucketCounts();
  const res = await upload(projectId, zipOf(10));
  expect([res.status, res.json().error, res.json().details]).toEqual([
    409,
    'project_closed',
    { status: 'archived' },
  ]);
  expect(await env.bucketCounts()).toEqual(before);
});

test('past PROJECT_MAX_FILES: 409 naming the quota, nothing stored', async () => {
  const projectId = await env.insertProject(specs);
  expect((await upload(projectId, zipOf(10))).status).toBe(201);
  expect((await upload(projectId, zipOf(10))).status).toBe(201);
  const before = await env.bucketCounts();
  const third = await upload(projectId, zipOf(10));
  expect([third.status, third.json().error, third.json().details]).toEqual([
    409,
    'upload_quota_exceeded',
    { maxFiles: 2 },
  ]);
  expect(third.json().message).toContain('PROJECT_MAX_FILES');
  expect(await env.bucketCounts()).toEqual(before);
});

test('past PROJECT_MAX_BYTES: 413 naming the quota and what is left, the partial file removed', async () => {
  const projectId = await env.insertProject(specs);
  expect((await upload(projectId, zipOf(2_000))).status).toBe(201);
  const before = await env.bucketCounts();
  const over = await upload(projectId, zipOf(1_500));
  expect([over.status, over.json().error, over.json().details]).toEqual([
    413,
    'upload_quota_exceeded',
    { maxBytes: 3_000, remainingBytes: 1_000 },
  ]);
  expect(over.json().message).toContain('PROJECT_MAX_BYTES');
  expect(await env.bucketCounts()).toEqual(before);
});
