import { z } from 'zod';
import { defineRoute, json, successSchemaOf } from './route-contract.js';

const route = defineRoute({
  method: 'POST',
  path: '/things/:id/cancel',
  summary: 'cancels a thing',
  responses: {
    200: json('canceled', z.object({ status: z.literal('canceled') })),
    202: json('asked to stop', z.object({ status: z.literal('running') })),
    204: { description: 'nothing', contentType: null },
    404: 'no such thing',
  },
});

describe('a route contract', () => {
  it('is named by its method and path', () => {
    expect(route.key).toBe('POST /things/:id/cancel');
  });

  it('parses a successful answer with any of its 2xx JSON schemas, and nothing else', () => {
    const schema = successSchemaOf(route);
    expect(schema?.parse({ status: 'running' })).toEqual({ status: 'running' });
    expect(schema?.safeParse({ status: 'lost' }).success).toBe(false);
    expect(
      successSchemaOf({ ...route, responses: { 204: { description: '', contentType: null } } }),
    ).toBeUndefined();
  });
});
