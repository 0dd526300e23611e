import type { EnqueueJob } from '@delivery/contracts';
import { differingFields, requestHashes } from './enqueue-request.js';

const request = (over: Partial<EnqueueJob> = {}): EnqueueJob => ({
  projectId: 'p',
  stage: '3_build',
  kind: 'noop',
  payload: { a: 1, b: { c: [1, 2] } },
  idempotencyKey: 'k',
  maxAttempts: 5,
  priority: 0,
  ...over,
});

describe('request hashes', () => {
  it('treat key order, runAt offsets and the key itself as the same request', () => {
    const first = requestHashes(request({ runAt: '2030-01-01T01:00:00+01:00' }));
    const again = requestHashes(
      request({
        payload: { b: { c: [1, 2] }, a: 1 },
        runAt: '2030-01-01T00:00:00Z',
        idempotencyKey: 'other',
      }),
    );
    expect(differingFields(first, again)).toEqual([]);
  });

  it('name every field that differs', () => {
    const first = requestHashes(request());
    const other = requestHashes(
      request({
        projectId: 'q',
        stage: '4_test',
        payload: { a: 2 },
        runAt: '2030-01-01T00:00:00Z',
        priority: 1,
      }),
    );
    expect(differingFields(first, other)).toEqual(['projectId', 'stage', 'payload', 'runAt', 'priority']);
    expect(differingFields(first, requestHashes(request({ kind: 'test', maxAttempts: 1 })))).toEqual([
      'kind',
      'maxAttempts',
    ]);
  });
});
