import { afterEach, beforeEach, describe, expect, expectTypeOf, test, vi } from 'vitest';
import { ApiError, type ApiResponse, api, pathOf, requestOf, setCsrfToken } from './client';

/** What the stubbed fetch was asked, and answers with `answer`. */
function stubFetch(answer: () => Response) {
  const fetch = vi.fn(async (_url: string, _init: RequestInit) => answer());
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => setCsrfToken('token-1'));
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
});

describe('a call by route key', () => {
  test('the method and path come from the key, each parameter percent-encoded, the query appended', () => {
    expect(
      requestOf('GET /api/projects/:id/artifacts/:fileId', { params: { id: 'p/1', fileId: 'f 2' } }),
    ).toEqual({ method: 'GET', url: '/api/projects/p%2F1/artifacts/f%202' });
    expect(
      requestOf('GET /api/jobs', {
        query: { status: 'QUEUED', limit: 200, cursor: undefined, kind: ['a', 'b'] },
      }),
    ).toEqual({ method: 'GET', url: '/api/jobs?status=QUEUED&limit=200&kind=a&kind=b' });
    expect(() => requestOf('GET /api/jobs/:id', {})).toThrow(/:id/);
  });

  test('a read: credentials along, no CSRF token, no body; resolves to the JSON answer', async () => {
    const fetch = stubFetch(() => json(200, { queues: [] }));
    const answer = await api('GET /api/dead-letters/hitl', { query: { limit: 5 } });
    expect(answer).toEqual({ queues: [] });
    expect(fetch).toHaveBeenCalledWith('/api/dead-letters/hitl?limit=5', {
      method: 'GET',
      headers: {},
      credentials: 'same-origin',
      body: undefined,
    });
  });

  test('a change: JSON body and the CSRF token', async () => {
    const fetch = stubFetch(() => json(200, { queue: 'hitl.q', replayed: ['m1'] }));
    await api('POST /api/dead-letters/hitl/:queue/replay', {
      params: { queue: 'hitl.q' },
      body: { id: 'm1' },
    });
    expect(fetch).toHaveBeenCalledWith('/api/dead-letters/hitl/hitl.q/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'token-1' },
      credentials: 'same-origin',
      body: '{"id":"m1"}',
    });
  });

  test('a 204 resolves to undefined', async () => {
    stubFetch(() => new Response(null, { status: 204 }));
    await expect(
      api('POST /api/dead-letters/hitl/:queue/replay', { params: { queue: 'q' }, body: { all: true } }),
    ).resolves.toBeUndefined();
  });

  test('an error answer rejects with ApiError: its code, message, field issues and details', async () => {
    stubFetch(() =>
      json(400, {
        error: 'invalid_request',
        issues: [{ path: 'id', message: 'too long' }],
        details: { max: 200 },
      }),
    );
    const error = await api('POST /api/dead-letters/hitl/:queue/replay', {
      params: { queue: 'q' },
      body: { id: 'x' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'Some fields need attention',
    });
    expect((error as ApiError).fieldMessage('id')).toBe('too long');
    expect((error as ApiError).details).toEqual({ max: 200 });

    stubFetch(() => new Response('not json', { status: 503, statusText: 'Service Unavailable' }));
    await expect(api('GET /api/dead-letters/pipeline')).rejects.toMatchObject({
      status: 503,
      code: 'error',
      message: '503 Service Unavailable',
    });
  });

  test('a link to a route the browser fetches itself', () => {
    expect(pathOf('POST /api/dead-letters/job-runner/:queue/replay', { queue: 'a b' })).toBe(
      '/api/dead-letters/job-runner/a%20b/replay',
    );
  });
});

describe('the types a call takes from the contract', () => {
  test('params, query, body and answer', () => {
    // Type-level: the checks below are compile errors if the client stops following the contracts.
    const replay = 'POST /api/dead-letters/hitl/:queue/replay';
    const typeOnly = () => {
      // @ts-expect-error not a route of the public API
      void api('GET /api/no-such-route');
      // @ts-expect-error the path parameter is required
      void api(replay, { body: { all: true } });
      // @ts-expect-error the body is required
      void api(replay, { params: { queue: 'q' } });
      // @ts-expect-error the body's fields are the contract's
      void api(replay, { params: { queue: 'q' }, body: { every: true } });
      // @ts-expect-error this route reads no body
      void api('GET /api/dead-letters/hitl', { body: {} });
      void api('GET /api/dead-letters/hitl');
      void api(replay, { params: { queue: 'q' }, body: { all: true } });
    };
    expect(typeOnly).toBeTypeOf('function');
    expectTypeOf<ApiResponse<'GET /api/dead-letters/hitl'>>().toEqualTypeOf<{
      queues: {
        queue: string;
        count: number | null;
        messages: {
          id: string;
          type: string | null;
          reason: string;
          originalExchange: string;
          originalRoutingKey: string;
          firstFailureAt: string | null;
          lastFailureAt: string | null;
        }[];
        error?: 'queue_missing' | 'broker_unavailable' | undefined;
      }[];
    }>();
    expectTypeOf<ApiResponse<'POST /api/dead-letters/pipeline/:queue/replay'>>().toEqualTypeOf<{
      queue: string;
      replayed: string[];
    }>();
  });
});
