import { authHeaders, serviceToken, userToken } from '@delivery/testing';
import type { ArtifactSpec } from '../src/domain/project-state.js';
import { ArtifactsEnv, MULTIPART_TYPE, multipart, send } from './artifacts-harness.js';

const specs: ArtifactSpec[] = [
  { name: 'app.zip', contentType: 'application/zip', maxSizeBytes: 10_000, required: true },
];
const REPORT_LIMIT = 300_000;
const JUNIT =
  '<?xml version="1.0"?><testsuite name="api" tests="1" failures="0"><testcase name="ok"/></testsuite>';

const token = (id: string, roles: string[]) => userToken({ id, name: id, roles, audience: 'pipeline' });
const jobRunner = () => serviceToken('job-runner', 'pipeline');

let env: ArtifactsEnv;
let projectId: string;
beforeAll(async () => {
  env = await ArtifactsEnv.start({ TEST_REPORT_MAX_BYTES: REPORT_LIMIT });
  projectId = await env.insertProject(specs, ['dev-1']);
});
afterAll(() => env.close());

const zip = () => multipart({ name: 'app.zip' }, { contentType: 'application/zip', content: 'zip bytes' });
function uploadAs(authorization: string | null, body: Buffer, path = `/projects/${projectId}/artifacts`) {
  return send(env.url, 'POST', path, { ...authHeaders(authorization), 'content-type': MULTIPART_TYPE }, body);
}
const get = (path: string, authorization: string | null = jobRunner()) =>
  send(env.url, 'GET', path, authHeaders(authorization));

describe('who may upload', () => {
  it("admins, the project's delivery manager and its assignees", async () => {
    for (const caller of [
      token('admin-1', ['admin']),
      token('dm-1', ['delivery_manager']),
      token('dev-1', ['developer']),
    ]) {
      expect((await uploadAs(caller, zip())).status).toBe(201);
    }
  });

  it("nobody else: a viewer, a person not assigned, another project's manager, a service; no token is 401; all before anything is stored", async () => {
    const before = await env.bucketCounts();
    const refusals = await Promise.all([
      uploadAs(token('viewer-1', ['viewer']), zip()),
      uploadAs(token('dev-2', ['developer']), zip()),
      uploadAs(token('dm-9', ['delivery_manager']), zip()),
      uploadAs(jobRunner(), zip()),
    ]);
    expect(refusals.map((res) => [res.status, res.json().error])).toEqual([
      [403, 'forbidden'],
      [403, 'forbidden'],
      [403, 'forbidden'],
      [403, 'forbidden'],
    ]);
    const anonymous = await uploadAs(null, zip());
    expect([anonymous.status, anonymous.json().error]).toEqual([401, 'unauthenticated']);
    expect(await env.bucketCounts()).toEqual(before);
  });

  it('404 for a project that does not exist', async () => {
    const res = await uploadAs(token('admin-1', ['admin']), zip(), '/projects/no-such-project/artifacts');
    expect([res.status, res.json().error]).toEqual([404, 'not_found']);
  });
});

describe('test reports', () => {
  const reportsPath = () => `/projects/${projectId}/test-reports`;

  it('are kept under their filename as their own kind, from a browser-style FormData upload', async () => {
    const form = new FormData();
    form.append('file', new Blob([JUNIT], { type: 'application/xml' }), 'résumé-junit.xml');
    const res = await fetch(`${env.url}${reportsPath()}`, {
      method: 'POST',
      headers: authHeaders(token('dev-1', ['developer'])),
      body: form,
    });
    expect(res.status).toBe(201);
    const file = (await res.json()) as { id: string };
    expect(file).toMatchObject({
      kind: 'test_report',
      name: 'résumé-junit.xml',
      contentType: 'application/xml',
      size: JUNIT.length,
    });

    const download = await get(`/projects/${projectId}/artifacts/${file.id}`);
    expect(download.status).toBe(200);
    expect(download.body.toString()).toBe(JUNIT);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="r?sum?-junit.xml"; filename*=UTF-8''r%C3%A9sum%C3%A9-junit.xml`,
    );
  });

  it('refuse another type (415) and more than TEST_REPORT_MAX_BYTES (413), storing nothing', async () => {
    const before = await env.bucketCounts();
    const json = await uploadAs(
      token('dev-1', ['developer']),
      multipart({}, { filename: 'r.json', contentType: 'application/json', content: '{}' }),
      reportsPath(),
    );
    expect([json.status, json.json().error]).toEqual([415, 'unsupported_media_type']);
    const big = `<testsuite>${'x'.repeat(REPORT_LIMIT)}</testsuite>`;
    const large = await uploadAs(
      token('dev-1', ['developer']),
      multipart({}, { filename: 'big.xml', contentType: 'text/xml', content: big }),
      reportsPath(),
    );
    expect([large.status, large.json().error]).toEqual([413, 'payload_too_large']);
    const named = await uploadAs(
      token('dev-1', ['developer']),
      multipart({ name: 'x' }, { filename: 'r.xml', contentType: 'text/xml', content: JUNIT }),
      reportsPath(),
    );
    expect([named.status, named.json().message]).toEqual([
      400,
      'unknown field "name"; send only the part "file"',
    ]);
    expect(await env.bucketCounts()).toEqual(before);
  });
});

describe('listing and downloading', () => {
  it('lists both kinds, or one kind, to any verified identity such as the job-runner', async () => {
    const all = await get(`/projects/${projectId}/artifacts`);
    expect(all.status).toBe(200);
    const files = all.json() as unknown as { kind: string; id: string }[];
    expect(new Set(files.map((file) => file.kind))).toEqual(new Set(['artifact', 'test_report']));
    expect(files.map((file) => file.id)).toEqual((await env.projectFiles(projectId)).map((file) => file.id));

    const reports = (await get(`/projects/${projectId}/artifacts?kind=test_report`)).json() as unknown as {
      kind: string;
    }[];
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((file) => file.kind === 'test_report')).toBe(true);

    const bad = await get(`/projects/${projectId}/artifacts?kind=binary`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'validation_failed', issues: [{ path: 'kind' }] });
  });

  it('downloads with the service token, and 404s a file of another project or no file at all', async () => {
    const [artifact] = await env.projectFiles(projectId);
    const ok = await get(`/projects/${projectId}/artifacts/${artifact?.id}`);
    expect([ok.status, ok.body.toString()]).toEqual([200, 'zip bytes']);

    const other = await env.insertProject(specs);
    for (const path of [
      `/projects/${other}/artifacts/${artifact?.id}`,
      `/projects/${projectId}/artifacts/000000000000000000000000`,
      `/projects/${projectId}/artifacts/not-an-id`,
      `/projects/no-such-project/artifacts`,
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it('answers 401 to reads without a token', async () => {
    expect((await get(`/projects/${projectId}/artifacts`, null)).status).toBe(401);
  });
});
