import { authHeaders, getJson, requestJson, userToken } from '@delivery/testing';
import mongoose from 'mongoose';
import { projectModel } from '../src/store/project-model.js';
import { PipelineEnv } from './harness.js';

// Replacing and withdrawing an uploaded file, through the pipeline's API on the real broker and
// the embedded store: who may (the relation to the file and the project, not a role alone), what
// the timeline records, and that the bytes really leave GridFS. The seeded project's manager is
// dm-1; dev-1 and dev-2 are its assignees.

const person = (id: string, roles: string[]) => userToken({ id, name: id, roles, audience: 'pipeline' });
const DEV1 = person('dev-1', ['developer']);
const DEV2 = person('dev-2', ['developer']);
const QA_LEAD = person('qa-1', ['qa_lead']);
const OTHER_MANAGER = person('dm-2', ['delivery_manager']);
const MANAGER = person('dm-1', ['delivery_manager']);
const ADMIN = person('admin-1', ['admin']);

const GOOD = '<testsuite name="s"><testcase name="ok" time="0.1"/></testsuite>';
const BROKEN = '<testsuite><testcase></testsuite>';

let env: PipelineEnv;
let api: string;
beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi());
});
afterAll(() => env.close());

async function seededProject(): Promise<string> {
  const projectId = await env.project();
  const assignee = (id: string) => ({
    id,
    name: id,
    assignedBy: { kind: 'user', id: 'dm-1', name: 'dm-1' },
    assignedAt: new Date(),
  });
  await projectModel(await env.database()).updateOne(
    { _id: projectId },
    { $set: { assignees: [assignee('dev-1'), assignee('dev-2')] } },
  );
  return projectId;
}

function form(content: string, filename: string, type = 'application/xml'): FormData {
  const body = new FormData();
  body.append('file', new Blob([content], { type }), filename);
  return body;
}

async function send(method: string, path: string, token: string, body?: FormData) {
  const response = await fetch(`${api}${path}`, { method, headers: authHeaders(token), body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const uploadReport = async (projectId: string, token: string, content: string, filename: string) => {
  const res = await send('POST', `/projects/${projectId}/test-reports`, token, form(content, filename));
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string; sha256: string; size: number };
};

/** What GridFS holds of a file: its files document and its chunks. */
async function bytesOf(fileId: string): Promise<{ files: number; chunks: number }> {
  const db = (await env.database()).db;
  if (!db) throw new Error('not connected');
  const id = new mongoose.Types.ObjectId(fileId);
  return {
    files: await db.collection('artifacts.files').countDocuments({ _id: id }),
    chunks: await db.collection('artifacts.chunks').countDocuments({ files_id: id }),
  };
}

const fileEntries = async (projectId: string) =>
  ((await getJson(`${api}/projects/${projectId}/timeline`)).body.items as Record<string, unknown>[]).filter(
    (entry) => (entry.fact as { field?: string } | undefined)?.field === 'file',
  );

test('the uploader replaces a broken report: it takes the old one’s place, the old bytes are gone, the timeline records who and what', async () => {
  const projectId = await seededProject();
  const broken = await uploadReport(projectId, DEV1, BROKEN, 'broken.xml');
  expect(await bytesOf(broken.id)).toEqual({ files: 1, chunks: 1 });

  const replaced = await send(
    'PUT',
    `/projects/${projectId}/artifacts/${broken.id}`,
    DEV1,
    form(GOOD, 'fixed.xml'),
  );
  expect(replaced.status).toBe(200);
  expect(replaced.body).toMatchObject({
    kind: 'test_report',
    name: 'fixed.xml',
    size: GOOD.length,
    uploadedBy: { kind: 'user', id: 'dev-1' },
  });
  const files = (await getJson(`${api}/projects/${projectId}/artifacts`)).body;
  expect(files.map((file: { id: string }) => file.id)).toEqual([replaced.body.id]);
  expect(await bytesOf(broken.id)).toEqual({ files: 0, chunks: 0 });
  expect(await bytesOf(replaced.body.id)).toEqual({ files: 1, chunks: 1 });
  expect((await getJson(`${api}/projects/${projectId}/artifacts/${broken.id}`)).status).toBe(404);

  expect(await fileEntries(projectId)).toEqual([
    expect.objectContaining({
      trigger: 'file_replaced',
      actor: { kind: 'user', id: 'dev-1', name: 'dev-1' },
      fact: {
        field: 'file',
        before: expect.objectContaining({ id: broken.id, name: 'broken.xml', sha256: broken.sha256 }),
        after: expect.objectContaining({ id: replaced.body.id, name: 'fixed.xml' }),
      },
    }),
  ]);
});

test('another assignee, a QA lead and another project’s manager are refused (403) and nothing changes; the manager and an admin may', async () => {
  const projectId = await seededProject();
  const first = await uploadReport(projectId, DEV1, BROKEN, 'broken.xml');
  const second = await uploadReport(projectId, DEV1, GOOD, 'second.xml');
  const path = (fileId: string) => `/projects/${projectId}/artifacts/${fileId}`;

  for (const token of [DEV2, QA_LEAD, OTHER_MANAGER]) {
    const replace = await send('PUT', path(first.id), token, form(GOOD, 'fixed.xml'));
    expect({ status: replace.status, error: replace.body.error }).toEqual({
      status: 403,
      error: 'forbidden',
    });
    expect(replace.body.message).toContain('"broken.xml" was uploaded by dev-1');
    const withdraw = await send('DELETE', path(first.id), token);
    expect(withdraw.status).toBe(403);
  }
  expect(await bytesOf(first.id)).toEqual({ files: 1, chunks: 1 });
  // The refused replacement kept no bytes either: the project's two files are all GridFS holds.
  const db = (await env.database()).db;
  expect(await db?.collection('artifacts.files').countDocuments({ 'metadata.projectId': projectId })).toBe(2);
  expect(await fileEntries(projectId)).toEqual([]);

  expect((await send('DELETE', path(first.id), MANAGER)).status).toBe(204);
  expect((await send('DELETE', path(second.id), ADMIN)).status).toBe(204);
  expect(await bytesOf(first.id)).toEqual({ files: 0, chunks: 0 });
  expect(await bytesOf(second.id)).toEqual({ files: 0, chunks: 0 });
  expect((await getJson(`${api}/projects/${projectId}/artifacts`)).body).toEqual([]);
  const entries = await fileEntries(projectId);
  expect(entries.map((entry) => [entry.trigger, (entry.actor as { id: string }).id, entry.fact])).toEqual([
    [
      'file_withdrawn',
      'dm-1',
      { field: 'file', before: expect.objectContaining({ id: first.id }), after: null },
    ],
    [
      'file_withdrawn',
      'admin-1',
      { field: 'file', before: expect.objectContaining({ id: second.id }), after: null },
    ],
  ]);
});

test('bad input is 400 with its path, an unknown file 404, a refused replacement changes nothing, a closed project 409', async () => {
  const projectId = await seededProject();
  const report = await uploadReport(projectId, DEV1, GOOD, 'report.xml');

  const malformed = await send('DELETE', `/projects/${projectId}/artifacts/not-a-file`, DEV1);
  expect(malformed.status).toBe(400);
  expect(malformed.body.issues).toEqual([expect.objectContaining({ path: 'fileId' })]);
  const unknown = '0123456789abcdef01234567';
  expect((await send('DELETE', `/projects/${projectId}/artifacts/${unknown}`, DEV1)).status).toBe(404);
  const noProject = `/projects/00000000-0000-4000-8000-000000000000/artifacts/${report.id}`;
  expect((await send('DELETE', noProject, ADMIN)).status).toBe(404);

  // A replacement the upload rules refuse (not XML) keeps the old file and stores nothing.
  const refused = await send(
    'PUT',
    `/projects/${projectId}/artifacts/${report.id}`,
    DEV1,
    form('plain', 'notes.txt', 'text/plain'),
  );
  expect(refused.status).toBe(415);
  const notMultipart = await requestJson(
    'PUT',
    `${api}/projects/${projectId}/artifacts/${report.id}`,
    {},
    { token: DEV1 },
  );
  expect(notMultipart.status).toBe(415);
  expect((await getJson(`${api}/projects/${projectId}/artifacts`)).body).toEqual([
    expect.objectContaining({ id: report.id }),
  ]);

  expect((await send('DELETE', `/projects/${projectId}/artifacts/${report.id}`, DEV1)).status).toBe(204);
  expect((await send('DELETE', `/projects/${projectId}/artifacts/${report.id}`, DEV1)).status).toBe(404);

  const kept = await uploadReport(projectId, DEV1, GOOD, 'kept.xml');
  await projectModel(await env.database()).updateOne({ _id: projectId }, { $set: { status: 'archived' } });
  const closed = await send('PUT', `/projects/${projectId}/artifacts/${kept.id}`, DEV1, form(GOOD, 'x.xml'));
  expect({ status: closed.status, error: closed.body.error }).toEqual({ status: 409, error: 'conflict' });
  expect(await bytesOf(kept.id)).toEqual({ files: 1, chunks: 1 });
});
