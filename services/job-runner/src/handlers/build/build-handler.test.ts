import { createHash } from 'node:crypto';
import { createEgressClient, createEgressPolicy, type EgressPolicyInput } from '@delivery/service-kit/egress';
import { sendJson, startTestServer, type TestServer } from '@delivery/testing';
import { loopbackEgress } from '../fixtures/egress.js';
import { contextFor } from '../fixtures/job.js';
import { PermanentJobError } from '../handler.js';
import { createHttpFetcher } from '../shared/fetcher.js';
import { createHostBreakers, type HostBreakers } from '../shared/host-breakers.js';
import type { BuildManifest } from './artifact-check.js';
import { createBuildHandler } from './build-handler.js';

const appBytes = Buffer.alloc(200_000, 7);
const sbomBytes = Buffer.from('{"bomFormat":"CycloneDX"}');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: TestServer;
let breakers: HostBreakers;
let handler: ReturnType<typeof createBuildHandler>;
const egress = loopbackEgress();
const now = new Date('2025-05-01T12:00:00Z');

const artifact = (name: string, bytes: Buffer, contentType: string, path = name) => ({
  name,
  contentType,
  size: bytes.length,
  sha256: sha(bytes),
  url: `${server.url}/files/${path}`,
});
const requirements = [
  {
    name: 'app.zip',
    contentType: ['application/zip', 'application/x-zip-compressed'],
    maxSizeBytes: 1_000_000,
  },
  { name: 'sbom.json', contentType: 'application/*+json', maxSizeBytes: 10_000 },
  { name: 'notes.md', contentType: 'text/*', maxSizeBytes: 10_000, required: false },
];

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.path === '/files/app.zip') {
      // Streamed in chunks, as a real download would be.
      res.writeHead(200, { 'content-type': 'application/zip' });
      for (let i = 0; i < appBytes.length; i += 16_384) res.write(appBytes.subarray(i, i + 16_384));
      res.end();
    } else if (req.path === '/files/sbom.json') res.end(sbomBytes);
    else if (req.path === '/files/tampered') res.end(Buffer.from('{"bomFormat":"Tampered!"}'));
    else if (req.path === '/files/down') res.writeHead(502).end();
    else if (req.path === '/files/forbidden') res.writeHead(403).end();
    else if (req.path === '/project/artifacts') {
      sendJson(res, 200, { artifacts: [artifact('app.zip', appBytes, 'application/zip')] });
    } else if (req.path === '/blueprint') sendJson(res, 200, { requiredArtifacts: [requirements[0]] });
    else if (req.path === '/api/templates/t-1/blueprint')
      // What the template-blueprint service answers.
      sendJson(res, 200, {
        templateId: 't-1',
        templateVersion: 2,
        runId: 'r-1',
        blueprint: { stages: [], requiredInputs: [], requiredArtifacts: [requirements[0]] },
      });
    else if (req.path === '/bad-blueprint') sendJson(res, 200, { requiredArtifacts: [{ name: 'x' }] });
    else res.writeHead(404).end();
  });
  breakers = createHostBreakers({ name: 'test', timeoutMs: 5_000, volumeThreshold: 100 });
  handler = createBuildHandler({ fetcher: createHttpFetcher(breakers, egress), now: () => now });
});

afterAll(async () => {
  breakers.shutdown();
  await egress.close();
  await server.close();
});

const manifestOf = (result: { result?: unknown }) => result.result as BuildManifest;

describe('build handler', () => {
  it('succeeds with a manifest when every required artifact downloads and matches', async () => {
    const result = await handler(
      contextFor('build', {
        artifacts: [
          artifact('app.zip', appBytes, 'application/zip'),
          artifact('sbom.json', sbomBytes, 'application/vnd.cyclonedx+json'),
        ],
        requiredArtifacts: requirements,
      }),
    );
    expect(result.outcome).toBe('success');
    expect(manifestOf(result)).toMatchObject({
      ok: true,
      checkedAt: now.toISOString(),
      artifacts: [
        {
          name: 'app.zip',
          status: 'ok',
          actual: { size: appBytes.length, sha256: sha(appBytes), downloaded: true },
        },
        { name: 'sbom.json', status: 'ok' },
        { name: 'notes.md', status: 'ok', required: false, actual: null },
      ],
    });
  });

  it('needs a human when uploads are wrong, naming each failing artifact', async () => {
    const result = await handler(
      contextFor('build', {
        artifacts: [
          { ...artifact('app.zip', appBytes, 'application/zip'), size: appBytes.length + 1 },
          artifact('sbom.json', sbomBytes, 'application/json', 'tampered'),
          artifact('notes.md', sbomBytes, 'application/pdf'),
        ],
        requiredArtifacts: [
          ...requirements,
          { name: 'report.pdf', contentType: 'application/pdf', maxSizeBytes: 10 },
        ],
      }),
    );
    expect(result).toMatchObject({
      outcome: 'needs_human',
      reason:
        '4 of 4 artifacts failed checks: app.zip (size_mismatch), sbom.json (wrong_type), notes.md (wrong_type), report.pdf (missing)',
    });
  });

  it('detects content that does not match its sha256, and downloads that overrun the size limit', async () => {
    const result = await handler(
      contextFor('build', {
        artifacts: [
          { ...artifact('app.zip', appBytes, 'application/zip'), size: 100 },
          artifact('sbom.json', sbomBytes, 'application/vnd.cyclonedx+json', 'tampered'),
        ],
        requiredArtifacts: [{ ...requirements[0], maxSizeBytes: 1000 }, requirements[1]],
      }),
    );
    expect(manifestOf(result).artifacts.map((a) => [a.name, a.status])).toEqual([
      ['app.zip', 'too_large'],
      ['sbom.json', 'sha256_mismatch'],
    ]);
  });

  it('marks an artifact whose download is 404 as missing', async () => {
    const result = await handler(
      contextFor('build', {
        artifacts: [artifact('app.zip', appBytes, 'application/zip', 'vanished')],
        requiredArtifacts: [requirements[0]],
      }),
    );
    expect(manifestOf(result).artifacts[0]).toMatchObject({
      status: 'missing',
      detail: 'download answered HTTP 404',
    });
  });

  it('throws a retryable error when a download fails with 5xx, a permanent one on 403', async () => {
    const down = handler(
      contextFor('build', {
        artifacts: [artifact('app.zip', appBytes, 'application/zip', 'down')],
        requiredArtifacts: [requirements[0]],
      }),
    );
    await expect(down).rejects.toThrow(/downloading artifact app.zip failed: HTTP 502/);
    await expect(down).rejects.not.toBeInstanceOf(PermanentJobError);
    await expect(
      handler(
        contextFor('build', {
          artifacts: [artifact('app.zip', appBytes, 'application/zip', 'forbidden')],
          requiredArtifacts: [requirements[0]],
        }),
      ),
    ).rejects.toThrow(PermanentJobError);
  });

  it('reads the required artifacts from the blueprint as the template-blueprint service serves it', async () => {
    const result = await handler(
      contextFor('build', {
        artifactsUrl: `${server.url}/project/artifacts`,
        blueprintUrl: `${server.url}/api/templates/t-1/blueprint`,
      }),
    );
    expect(result.outcome).toBe('success');
    expect((result.result as { artifacts: { name: string }[] }).artifacts.map((a) => a.name)).toEqual([
      requirements[0]?.name,
    ]);
  });

  it('fetches the artifact list and the blueprint from their owners when given URLs', async () => {
    const result = await handler(
      contextFor('build', {
        artifactsUrl: `${server.url}/project/artifacts`,
        blueprintUrl: `${server.url}/blueprint`,
      }),
    );
    expect(result.outcome).toBe('success');
    await expect(
      handler(contextFor('build', { artifacts: [], blueprintUrl: `${server.url}/bad-blueprint` })),
    ).rejects.toThrow(/blueprint from .* is invalid: requiredArtifacts\.0\.contentType/);
    await expect(
      handler(contextFor('build', { artifacts: [], blueprintUrl: `${server.url}/nope` })),
    ).rejects.toThrow(/cannot fetch blueprint .*HTTP 404/);
  });

  it('rejects an invalid payload permanently, naming the paths', async () => {
    const run = handler(contextFor('build', { artifacts: [{ name: 'a', sha256: 'zz' }] }));
    await expect(run).rejects.toThrow(PermanentJobError);
    await expect(run).rejects.toThrow(/artifacts\.0\.sha256: expected 64 hex characters/);
    await expect(handler(contextFor('build', { artifacts: [] }))).rejects.toThrow(
      /requiredArtifacts: give requiredArtifacts or blueprintUrl/,
    );
  });

  it('stops when the job is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(
      handler(
        contextFor(
          'build',
          {
            artifacts: [artifact('app.zip', appBytes, 'application/zip')],
            requiredArtifacts: [requirements[0]],
          },
          controller.signal,
        ),
      ),
    ).rejects.toThrow('canceled');
  });
});

describe('build handler egress', () => {
  /** A build handler whose fetches obey `policy`; the test server stands in for pipeline and template-blueprint. */
  const buildUnder = async (policy: EgressPolicyInput, payload: Record<string, unknown>) => {
    const strict = createEgressClient({ policy: createEgressPolicy(policy), maxBodyBytes: 1024 * 1024 });
    try {
      const run = createBuildHandler({ fetcher: createHttpFetcher(breakers, strict), now: () => now })(
        contextFor('build', payload),
      );
      return await run.then(
        (result) => ({ result }),
        (error: Error) => ({ error, permanent: error instanceof PermanentJobError }),
      );
    } finally {
      await strict.close();
    }
  };
  const hitsOf = (path: string) => server.requests.filter((r) => r.path === path).length;

  it('reads from the platform services without listing them, once loopback is explicitly allowed', async () => {
    const outcome = await buildUnder(
      { platformUrls: [server.url], allowPrivate: ['127.0.0.0/8'] },
      { artifactsUrl: `${server.url}/project/artifacts`, blueprintUrl: `${server.url}/blueprint` },
    );
    expect(outcome).toMatchObject({ result: { outcome: 'success' } });
  });

  it('refuses an artifact on a loopback address that is not explicitly allowed, permanently', async () => {
    const before = hitsOf('/files/app.zip');
    const outcome = await buildUnder(
      { allowedHosts: ['127.0.0.1'] },
      { artifacts: [artifact('app.zip', appBytes, 'application/zip')], requiredArtifacts: [requirements[0]] },
    );
    expect(outcome).toMatchObject({ permanent: true });
    expect((outcome as { error: Error }).error.message).toBe(
      'cannot download artifact app.zip: egress refused: 127.0.0.1 (loopback) for host 127.0.0.1; allow it in EGRESS_ALLOW_PRIVATE',
    );
    expect(hitsOf('/files/app.zip')).toBe(before);
  });

  it('refuses an artifact on a host that is neither listed nor a platform service', async () => {
    const elsewhere = artifact('app.zip', appBytes, 'application/zip');
    elsewhere.url = elsewhere.url.replace('127.0.0.1', 'localhost');
    const outcome = await buildUnder(
      { platformUrls: [server.url], allowPrivate: ['127.0.0.0/8', '::1'] },
      { artifacts: [elsewhere], requiredArtifacts: [requirements[0]] },
    );
    expect(outcome).toMatchObject({ permanent: true });
    expect((outcome as { error: Error }).error.message).toMatch(
      /^cannot download artifact app\.zip: egress refused: host localhost:\d+ is not in EGRESS_ALLOWED_HOSTS$/,
    );
  });

  it('refuses a blueprint URL aimed at the cloud metadata address, even with every host allowed', async () => {
    const outcome = await buildUnder(
      { allowedHosts: ['*'] },
      { artifacts: [], blueprintUrl: 'http://169.254.169.254/latest/meta-data/iam' },
    );
    expect(outcome).toMatchObject({ permanent: true });
    expect((outcome as { error: Error }).error.message).toBe(
      'cannot fetch blueprint: egress refused: 169.254.169.254 (link-local) for host 169.254.169.254; allow it in EGRESS_ALLOW_PRIVATE',
    );
  });
});
