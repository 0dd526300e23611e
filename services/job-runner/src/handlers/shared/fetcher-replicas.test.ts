import { freePort, sendJson, startTestServer, type TestServer } from '@delivery/testing';
import { loopbackEgress } from '../fixtures/egress.js';
import { createHttpFetcher } from './fetcher.js';
import { createHostBreakers, type HostBreakers } from './host-breakers.js';
import { platformServicesSchema, replicasOf } from './platform-services.js';

// A job's payload names one pipeline replica (its PUBLIC_URL); with PLATFORM_SERVICE_URLS naming
// the pipeline twice, a read whose replica is down is made from the other, over real sockets.

let live: TestServer;
let breakers: HostBreakers;
beforeAll(async () => {
  live = await startTestServer((req, res) => sendJson(res, 200, { path: req.path }));
});
afterAll(() => live.close());
beforeEach(() => {
  breakers = createHostBreakers({ name: 'test', timeoutMs: 2_000, volumeThreshold: 100 });
});
afterEach(() => breakers.shutdown());

describe('reads from a platform service with replicas', () => {
  it('the same path and query under each replica of the service the URL belongs to', () => {
    const services = platformServicesSchema.parse(
      'pipeline=http://a:4004, pipeline=http://b:4104/base/, template-blueprint=http://tb:4002',
    );
    const replicas = replicasOf(services, 'http://b:4104/base/projects/p1/artifacts/f1?x=1');
    expect(replicas?.audience).toBe('pipeline');
    expect(replicas?.bases.map((base) => replicas.at(base))).toEqual([
      'http://a:4004/projects/p1/artifacts/f1?x=1',
      'http://b:4104/base/projects/p1/artifacts/f1?x=1',
    ]);
    // A service listed once has no other replica to ask; a URL of no service has none either.
    expect(replicasOf(services, 'http://tb:4002/api/templates/t1')).toBeUndefined();
    expect(replicasOf(services, 'https://artifacts.example/site.zip')).toBeUndefined();
  });

  it('a read from a replica that is down is made from another one', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const platforms = platformServicesSchema.parse(`pipeline=${down},pipeline=${live.url}`);
    const fetcher = createHttpFetcher(breakers, loopbackEgress(), undefined, platforms);
    const before = live.requests.length;
    for (let read = 0; read < 3; read++) {
      await expect(
        fetcher.json(`${down}/projects/p1/artifacts?read=${read}`, new AbortController().signal),
      ).resolves.toEqual({
        path: `/projects/p1/artifacts?read=${read}`,
      });
    }
    expect(live.requests.length - before).toBe(3);
  });

  it('without replicas, a read from a service that is down fails as before', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const platforms = platformServicesSchema.parse(`pipeline=${down}`);
    const fetcher = createHttpFetcher(breakers, loopbackEgress(), undefined, platforms);
    await expect(
      fetcher.json(`${down}/projects/p1/artifacts`, new AbortController().signal),
    ).rejects.toMatchObject({
      name: 'UpstreamError',
      failure: 'network',
    });
  });
});
