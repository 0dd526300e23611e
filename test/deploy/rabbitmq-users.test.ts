import { EVENTS_EXCHANGE } from '@delivery/contracts';
import { Broker, DeadLetters, declareTopology, type Topology } from '@delivery/messaging';
import { rabbitmqctl } from '@delivery/testing';
import amqp, { type ConfirmChannel } from 'amqplib';
import { gatewayTopology } from '../../services/gateway/src/topology.js';
import { hitlTopology } from '../../services/hitl/src/topology.js';
import { jobRunnerTopology } from '../../services/job-runner/src/topology.js';
import { pipelineTopology } from '../../services/pipeline/src/topology.js';
import { templateBlueprintTopology } from '../../services/template-blueprint/src/topology.js';
import { COMPOSE_SERVICES, type ComposeService } from './compose-file.js';
import { ComposeRabbitUsers } from './rabbitmq-users.js';

// The RabbitMQ users compose makes, made by the same script on the local broker (3.10; compose
// runs 4.x, which checks permissions the same way): each service can do everything it does, with
// its own user, and nothing with another service's queues or events.

const topologies: Record<ComposeService, Topology> = {
  gateway: gatewayTopology,
  pipeline: pipelineTopology,
  'job-runner': jobRunnerTopology,
  hitl: hitlTopology,
  'template-blueprint': templateBlueprintTopology,
};
/** The routing-key domain of each service's events (packages/contracts); the gateway has none. */
const eventDomains: Partial<Record<ComposeService, string>> = {
  pipeline: 'pipeline',
  'job-runner': 'jobs',
  hitl: 'hitl',
  'template-blueprint': 'blueprints',
};
const services = Object.keys(COMPOSE_SERVICES) as ComposeService[];

// Each rabbitmqctl call starts an Erlang VM: seconds each on a busy machine, and the script makes 16.
const SCRIPT_TIMEOUT_MS = 300_000;

const users = ComposeRabbitUsers.plan();
beforeAll(() => users.apply(), SCRIPT_TIMEOUT_MS);
afterAll(() => users.remove());

/** What the broker answers `attempt` on a fresh channel: allowed, or the code it closed the channel with. */
async function outcome(
  service: ComposeService,
  attempt: (channel: ConfirmChannel) => Promise<unknown>,
): Promise<'allowed' | number> {
  const connection = await amqp.connect(users.urlOf(service));
  try {
    const channel = await connection.createConfirmChannel();
    let refusedWith: number | undefined;
    channel.on('error', (error: { code?: number }) => {
      refusedWith = error.code;
    });
    const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()));
    try {
      await attempt(channel);
      await channel.waitForConfirms();
      await channel.close();
    } catch {
      await closed;
    }
    return refusedWith ?? 'allowed';
  } finally {
    await connection.close().catch(() => undefined);
  }
}

const ACCESS_REFUSED = 403;
const event = (routingKey: string) => (channel: ConfirmChannel) =>
  Promise.resolve(channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from('{}'), { persistent: true }));
const command = (queue: string) => (channel: ConfirmChannel) =>
  Promise.resolve(channel.sendToQueue(queue, Buffer.from('{}'), { persistent: true }));

test(
  'the script makes one user per service, with permissions on the vhost alone, and can run again',
  async () => {
    const listed = await rabbitmqctl(['-q', 'list_permissions', '-p', users.vhost]);
    const holders = listed
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0]);
    expect(holders.sort()).toEqual(services.map((service) => users.userOf(service)).sort());
    for (const service of services) {
      const vhosts = await rabbitmqctl(['-q', 'list_user_permissions', users.userOf(service)]);
      expect(
        vhosts
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => line.split('\t')[0]),
      ).toEqual([users.vhost]);
    }

    // Every `up` runs it again: a changed password takes effect, the old one stops working.
    const before = users.urlOf('hitl');
    users.changePassword('hitl', 'a-changed-password');
    await users.apply();
    await expect(amqp.connect(before)).rejects.toThrow(/ACCESS_REFUSED/);
    const connection = await amqp.connect(users.urlOf('hitl'));
    await connection.close();
  },
  SCRIPT_TIMEOUT_MS,
);

test.each(services)(
  '%s declares its topology, sends, reads and lists its dead letters with its own user',
  async (service) => {
    const topology = topologies[service];
    const broker = await Broker.connect({ url: users.urlOf(service), topology, initialConnectRetries: 0 });
    try {
      const domain = eventDomains[service];
      if (domain)
        await broker.publishContent(EVENTS_EXCHANGE, `${domain}.probe.checked.v1`, Buffer.from('{}'), {});
      for (const { name } of topology.queues) {
        // Commands and retries go through the default exchange into the service's own queues.
        await broker.publishContent('', name, Buffer.from('{"probe":true}'), {});
        const channel = await broker.openChannel();
        const message = await channel.get(name, { noAck: true });
        expect(message === false ? 'nothing' : message.content.toString()).toBe('{"probe":true}');
        await channel.close();
      }
      const reports = await new DeadLetters(broker, topology).list(10);
      expect(reports.filter((report) => report.error !== undefined)).toEqual([]);
      // The gateway's live events come through a queue of each replica's own (gateway.live-events.<id>).
      const subscription = await broker.consumeTransient({
        namePrefix: `${service}.live-events`,
        bindings: ['#'],
        messages: [],
        handle: () => undefined,
      });
      await subscription.cancel();
    } finally {
      await broker.close();
    }
  },
);

describe("no service can use another's queues or publish another's events", () => {
  beforeAll(async () => {
    for (const service of services) {
      const connection = await amqp.connect(users.urlOf(service));
      const channel = await connection.createChannel();
      await declareTopology(channel, topologies[service]);
      await connection.close();
    }
  });

  type Attempt = (channel: ConfirmChannel) => Promise<unknown>;
  const ignore = () => undefined;

  // Each refusal beside the owner's own success, so a refusal shows the rule, not a broken probe.
  test.each<[ComposeService, string, 'allowed' | 'refused', Attempt]>([
    ['hitl', "declares hitl's topology", 'allowed', (c) => declareTopology(c, hitlTopology)],
    ['pipeline', "declares hitl's topology", 'refused', (c) => declareTopology(c, hitlTopology)],
    ['job-runner', 'consumes job-runner.enqueue', 'allowed', (c) => c.consume('job-runner.enqueue', ignore)],
    ['pipeline', 'consumes job-runner.enqueue', 'refused', (c) => c.consume('job-runner.enqueue', ignore)],
    [
      'template-blueprint',
      'reads its dead letters',
      'allowed',
      (c) => c.get('template-blueprint.generate.dlq'),
    ],
    [
      'hitl',
      "reads template-blueprint's dead letters",
      'refused',
      (c) => c.get('template-blueprint.generate.dlq'),
    ],
    ['pipeline', 'purges pipeline.triggers', 'allowed', (c) => c.purgeQueue('pipeline.triggers')],
    ['gateway', 'purges pipeline.triggers', 'refused', (c) => c.purgeQueue('pipeline.triggers')],
    ['job-runner', 'deletes hitl.project-facts', 'refused', (c) => c.deleteQueue('hitl.project-facts')],
    [
      'hitl',
      'binds hitl.project-facts',
      'allowed',
      (c) => c.bindQueue('hitl.project-facts', EVENTS_EXCHANGE, 'jobs.#'),
    ],
    [
      'pipeline',
      'binds hitl.project-facts',
      'refused',
      (c) => c.bindQueue('hitl.project-facts', EVENTS_EXCHANGE, 'jobs.#'),
    ],
    ['pipeline', 'declares a queue pipeline.extra', 'allowed', (c) => c.assertQueue('pipeline.extra')],
    [
      'template-blueprint',
      'declares a queue pipeline.extra2',
      'refused',
      (c) => c.assertQueue('pipeline.extra2'),
    ],
    ['job-runner', 'publishes jobs.job.succeeded.v1', 'allowed', event('jobs.job.succeeded.v1')],
    ['pipeline', 'publishes jobs.job.succeeded.v1', 'refused', event('jobs.job.succeeded.v1')],
    ['pipeline', 'publishes pipeline.project.created.v1', 'allowed', event('pipeline.project.created.v1')],
    ['hitl', 'publishes pipeline.project.created.v1', 'refused', event('pipeline.project.created.v1')],
    ['gateway', 'publishes pipeline.project.created.v1', 'refused', event('pipeline.project.created.v1')],
    ['pipeline', 'sends the command hitl.gate.evaluate', 'allowed', command('hitl.gate.evaluate')],
    ['gateway', 'sends the command hitl.gate.evaluate', 'refused', command('hitl.gate.evaluate')],
  ])('%s %s: %s', async (service, _action, expected, attempt) => {
    expect(await outcome(service, attempt)).toBe(expected === 'allowed' ? 'allowed' : ACCESS_REFUSED);
  });
});
