import { createIdentityVerifier, ServiceTokens } from '@delivery/service-kit/identity';
import { testKeys } from '@delivery/testing';
import { platformCredentials, platformServiceOf, platformServicesSchema } from './platform-services.js';

const services = platformServicesSchema.parse(
  'template-blueprint=http://tb.internal:4002, pipeline=https://edge.internal/pipeline, hitl=https://edge.internal/pipeline/hitl',
);
const credentials = platformCredentials(
  services,
  new ServiceTokens(testKeys.of('job-runner').privateJwk, 'job-runner'),
);
const verifierOf = (audience: string) =>
  createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience });

describe('platform services', () => {
  it('knows a URL by origin and base path, the longest base path first', () => {
    const audienceOf = (url: string) => platformServiceOf(services, url)?.audience;
    expect(audienceOf('http://tb.internal:4002/api/templates/t1/blueprint')).toBe('template-blueprint');
    expect(audienceOf('https://edge.internal/pipeline/projects/p1/artifacts')).toBe('pipeline');
    expect(audienceOf('https://edge.internal/pipeline/hitl/approvals')).toBe('hitl');
    expect(audienceOf('https://edge.internal/pipeline')).toBe('pipeline');
    // Another port, scheme, host or path: not the service, whatever the rest says.
    for (const url of [
      'http://tb.internal:4003/api/templates',
      'https://tb.internal:4002/api/templates',
      'http://tb.internal.evil.example:4002/api',
      'https://edge.internal/pipelines/x',
      'https://edge.internal/other',
    ]) {
      expect(audienceOf(url)).toBeUndefined();
    }
  });

  it("sends a platform service the worker's token for it, and anyone else no token at all", async () => {
    const toBlueprints = await credentials('http://tb.internal:4002/api/templates/t1/blueprint');
    const token = toBlueprints.authorization?.replace(/^Bearer /, '') ?? '';
    expect(await verifierOf('template-blueprint').verify(token)).toEqual({
      kind: 'service',
      id: 'job-runner',
      name: 'job-runner',
      roles: ['service'],
    });
    await expect(verifierOf('pipeline').verify(token)).rejects.toThrow('the token is not for pipeline');
    expect(await credentials('http://tb.internal:4003/api/templates/t1/blueprint')).toEqual({});
    expect(await credentials('https://artifacts.example/app.zip')).toEqual({});
  });
});
