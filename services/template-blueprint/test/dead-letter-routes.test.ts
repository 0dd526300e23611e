import { generateBlueprintCommand } from '@delivery/contracts';
import { authHeaders } from '@delivery/testing';
import { BlueprintEnv } from './harness.js';

/** The operators' dead-letter routes are mounted on the API, over the service's own queue. */
let env: BlueprintEnv;
let api: string;

beforeAll(async () => {
  env = await BlueprintEnv.create();
  api = await env.startApi();
});
afterAll(() => env.close());

test('GET /dead-letters lists the generate queue; POST replay answers for it and refuses others', async () => {
  const dlq = `${generateBlueprintCommand.queue}.dlq`;
  const listed = await fetch(`${api}/dead-letters`, { headers: authHeaders() });
  expect(listed.status).toBe(200);
  expect(await listed.json()).toEqual({ queues: [{ queue: dlq, count: 0, messages: [] }] });
  const replay = (queue: string) =>
    fetch(`${api}/dead-letters/${queue}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ all: true }),
    });
  expect((await replay(dlq)).status).toBe(200);
  expect((await replay('elsewhere.dlq')).status).toBe(404);
});
