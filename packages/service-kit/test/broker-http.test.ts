import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineEvent } from '@delivery/contracts';
import {
  Broker,
  DeadLetters,
  deadLetterQueueName,
  declareTopology,
  exchangeNames,
  queueNames,
  type Topology,
  UnprocessableMessageError,
} from '@delivery/messaging';
import { getJson, postJson, serviceToken, testKeys, uniqueName, userToken, waitFor } from '@delivery/testing';
import { pino } from 'pino';
import { z } from 'zod';
import { createHttpApp } from '../src/http/create-app.js';
import { deadLetterRoutes } from '../src/http/dead-letter-routes.js';
import { Readiness } from '../src/http/readiness.js';
import { createIdentityVerifier } from '../src/identity/verifier.js';
import { registerBrokerReadiness } from '../src/runtime/broker-readiness.js';

// The HTTP face of the broker link: /readyz codes for consumers and the operators' dead-letter routes.

const parcelSent = defineEvent({
  service: 'post',
  entity: 'parcel',
  event: 'sent',
  version: 1,
  payload: z.object({ parcelId: z.string() }),
});

let topology: Topology;
let broker: Broker;
let server: Server;
let base: string;
let failing = true;
const handled: string[] = [];
const queue = () => topology.queues[0]?.name as string;
const dlq = () => deadLetterQueueName(queue());

beforeAll(async () => {
  const prefix = uniqueName('kit');
  topology = {
    eventsExchange: `${prefix}.events`,
    queues: [{ name: `${prefix}.parcels`, bindings: ['post.parcel.*.v1'], retryDelaysMs: [] }],
  };
  broker = await Broker.connect({
    url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    topology,
    connectionName: `${prefix}-test`,
  });
  await broker.consume({
    queue: queue(),
    messages: [parcelSent],
    handle: async (message) => {
      if (failing) throw new UnprocessableMessageError(`parcel ${message.payload.parcelId} has no address`);
      handled.push(message.payload.parcelId);
    },
  });
  const readiness = new Readiness(1000);
  registerBrokerReadiness(readiness, broker);
  const deadLetters = new DeadLetters(broker, topology);
  ({ server, base } = await serve(deadLetters, readiness));
});

/** Serves the dead-letter routes (and /readyz) over `deadLetters`. */
async function serve(deadLetters: DeadLetters, readiness = new Readiness(1000)) {
  const served = createHttpApp({
    logger: pino({ level: 'silent' }),
    readiness,
    identity: createIdentityVerifier({ publicKeys: testKeys.publicKeys(), audience: 'hitl' }),
    routes: (app) => app.use(deadLetterRoutes(deadLetters)),
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => served.once('listening', resolve));
  return { server: served, base: `http://127.0.0.1:${(served.address() as AddressInfo).port}` };
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const channel = await broker.openChannel();
  for (const name of queueNames(topology)) await channel.deleteQueue(name);
  for (const name of exchangeNames(topology)) await channel.deleteExchange(name);
  await channel.close();
  await broker.close();
});

async function deadLetterOne(parcelId: string): Promise<string> {
  const envelope = parcelSent.create({ parcelId });
  await broker.publishEvent(envelope);
  await waitFor(
    async () =>
      (await getJson(`${base}/dead-letters`)).body.queues[0]?.messages.some(
        (message: { id: string }) => message.id === envelope.id,
      ),
    10_000,
    `${parcelId} dead-lettered`,
  );
  return envelope.id;
}

test('/readyz names a consumer the broker cancelled, with a code, until it re-attached', async () => {
  expect(await getJson(`${base}/readyz`)).toEqual({
    status: 200,
    body: { ready: true, checks: { broker: 'ok', consumers: 'ok' } },
  });
  const channel = await broker.openChannel();
  try {
    await channel.deleteQueue(queue());
    await waitFor(async () => (await getJson(`${base}/readyz`)).status === 503, 10_000, '/readyz 503');
    expect((await getJson(`${base}/readyz`)).body).toEqual({
      ready: false,
      checks: { broker: 'ok', consumers: `consumer_detached:${queue()}` },
    });
    await declareTopology(channel, topology);
  } finally {
    await channel.close();
  }
  await waitFor(async () => (await getJson(`${base}/readyz`)).status === 200, 20_000, '/readyz 200 again');
});

test('GET /dead-letters lists each dead letter with its reason and origin', async () => {
  const id = await deadLetterOne('p-1');
  const { status, body } = await getJson(`${base}/dead-letters?limit=50`);
  expect(status).toBe(200);
  const [report] = body.queues;
  expect(report).toMatchObject({ queue: dlq(), count: expect.any(Number) });
  expect(report.messages).toContainEqual({
    id,
    type: parcelSent.type,
    reason: 'UnprocessableMessageError: parcel p-1 has no address',
    originalExchange: topology.eventsExchange,
    originalRoutingKey: 'post.parcel.sent.v1',
    firstFailureAt: expect.any(String),
    lastFailureAt: expect.any(String),
  });
});

test('bad replay requests are refused with 400 or 404 and change nothing', async () => {
  const id = await deadLetterOne('p-2');
  const replay = (queue: string, body: unknown) =>
    postJson(`${base}/dead-letters/${encodeURIComponent(queue)}/replay`, body);
  expect(await replay(dlq(), {})).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
  expect(await replay(dlq(), { id, all: true })).toMatchObject({ status: 400 });
  expect(await replay(dlq(), { all: false })).toMatchObject({
    status: 400,
    body: { issues: [expect.objectContaining({ path: 'all' })] },
  });
  expect(await replay(dlq(), { id: 42 })).toMatchObject({
    status: 400,
    body: { issues: [expect.objectContaining({ path: 'id' })] },
  });
  expect(await replay('not-ours.dlq', { all: true })).toMatchObject({
    status: 404,
    body: { error: 'not_found' },
  });
  expect(await replay(dlq(), { id: 'no-such-message' })).toMatchObject({ status: 404 });
  expect(await replay(dlq(), '{"id":')).toMatchObject({ status: 400 });
  const listed = (await getJson(`${base}/dead-letters`)).body.queues[0].messages.map(
    (message: { id: string }) => message.id,
  );
  expect(listed).toContain(id);
});

test('dead letters are for admins and operators: 403 to anyone else, and the dead letter stays', async () => {
  const id = await deadLetterOne('p-4');
  const manager = userToken({ roles: ['delivery_manager', 'qa_lead'] });
  const operator = userToken({ roles: ['operator'] });
  const service = serviceToken('pipeline', 'hitl');
  for (const token of [manager, service]) {
    expect(await getJson(`${base}/dead-letters`, { token })).toEqual({
      status: 403,
      body: {
        error: 'forbidden',
        message: expect.any(String),
        details: { requiredRoles: ['admin', 'operator'] },
      },
    });
    const replay = await postJson(
      `${base}/dead-letters/${encodeURIComponent(dlq())}/replay`,
      { id },
      { token },
    );
    expect(replay).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  }
  expect(await getJson(`${base}/dead-letters`, { token: null })).toMatchObject({ status: 401 });
  const listed = await getJson(`${base}/dead-letters`, { token: operator });
  expect(listed.status).toBe(200);
  expect(listed.body.queues[0].messages.map((message: { id: string }) => message.id)).toContain(id);
});

test('POST /dead-letters/:queue/replay replays one by id, then all, to the consumer', async () => {
  const one = await deadLetterOne('p-3');
  failing = false;
  const first = await postJson(`${base}/dead-letters/${encodeURIComponent(dlq())}/replay`, { id: one });
  expect(first).toEqual({ status: 200, body: { queue: dlq(), replayed: [one] } });
  await waitFor(() => handled.includes('p-3'), 10_000, 'p-3 handled after replay');

  const all = await postJson(`${base}/dead-letters/${encodeURIComponent(dlq())}/replay`, { all: true });
  expect(all.status).toBe(200);
  await waitFor(
    () => ['p-1', 'p-2', 'p-4'].every((parcel) => handled.includes(parcel)),
    10_000,
    'the rest handled',
  );
  expect((await getJson(`${base}/dead-letters`)).body.queues[0]).toMatchObject({ count: 0, messages: [] });
});

describe('broker faults', () => {
  // Two queues with no consumer, beside the main topology: their dead letters are put in directly.
  let other: Topology;
  let otherServer: Server;
  let otherBase: string;
  const first = () => other.queues[0]?.name as string;
  const second = () => other.queues[1]?.name as string;

  beforeAll(async () => {
    const prefix = uniqueName('kit-faults');
    other = {
      eventsExchange: `${prefix}.events`,
      queues: ['first', 'second'].map((name) => ({
        name: `${prefix}.${name}`,
        bindings: [`post.${name}.*.v1`],
        retryDelaysMs: [],
      })),
    };
    const channel = await broker.openChannel();
    await declareTopology(channel, other);
    await channel.close();
    ({ server: otherServer, base: otherBase } = await serve(new DeadLetters(broker, other)));
  });

  afterAll(async () => {
    otherServer.closeAllConnections();
    await new Promise((resolve) => otherServer.close(resolve));
    const channel = await broker.openChannel();
    for (const name of queueNames(other)) await channel.deleteQueue(name);
    for (const name of exchangeNames(other)) await channel.deleteExchange(name);
    await channel.close();
  });

  async function putDeadLetter(queue: string): Promise<string> {
    const id = `dead-${Math.random().toString(36).slice(2)}`;
    await broker.publishContent('', deadLetterQueueName(queue), Buffer.from('{}'), { messageId: id });
    return id;
  }

  test('GET /dead-letters answers 200 when a dead-letter queue was deleted, marking that queue', async () => {
    const id = await putDeadLetter(first());
    const channel = await broker.openChannel();
    await channel.deleteQueue(deadLetterQueueName(second()));
    await channel.close();
    const { status, body } = await getJson(`${otherBase}/dead-letters`);
    expect(status).toBe(200);
    expect(body.queues).toEqual([
      { queue: deadLetterQueueName(first()), count: 1, messages: [expect.objectContaining({ id })] },
      { queue: deadLetterQueueName(second()), count: null, messages: [], error: 'queue_missing' },
    ]);
    const replay = await postJson(
      `${otherBase}/dead-letters/${encodeURIComponent(deadLetterQueueName(second()))}/replay`,
      { all: true },
    );
    expect(replay).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('a replay the original queue refuses (nack) answers 409 and leaves the dead letter in place', async () => {
    const dead = deadLetterQueueName(first());
    await waitFor(
      async () => (await getJson(`${otherBase}/dead-letters`)).body.queues[0]?.count >= 1,
      10_000,
      'a dead letter to replay',
    );
    // The original queue, full for good: the broker nacks whatever is published to it.
    const channel = await broker.openChannel();
    await channel.deleteQueue(first());
    await channel.assertQueue(first(), { arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } });
    await channel.close();
    const { ids } = await listedIn(dead);
    const replay = await postJson(`${otherBase}/dead-letters/${encodeURIComponent(dead)}/replay`, {
      all: true,
    });
    expect(replay).toMatchObject({
      status: 409,
      body: { error: 'destination_refused', message: expect.stringContaining(first()) },
    });
    await waitFor(
      async () => JSON.stringify((await listedIn(dead)).ids) === JSON.stringify(ids),
      10_000,
      'the dead letter still there',
    );
  });

  async function listedIn(queue: string) {
    const { body } = await getJson(`${otherBase}/dead-letters`);
    const report = body.queues.find((entry: { queue: string }) => entry.queue === queue);
    return { ids: report.messages.map((message: { id: string }) => message.id) as string[] };
  }
});
