import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Envelope,
  EVENTS_EXCHANGE,
  type Identity,
  projectStageChanged,
  STAGES,
} from '@delivery/contracts';
import { Broker } from '@delivery/messaging';
import { errorMapper } from '@delivery/service-kit';
import { createIsolatedVhost, type IsolatedVhost, requiredEnv } from '@delivery/testing';
import amqp from 'amqplib';
import express from 'express';
import {
  EventHub,
  type EventHubOptions,
  type EventRoutesOptions,
  eventRoutes,
  type StreamEndReason,
} from '../src/events/index.js';
import { gatewayTopology } from '../src/topology.js';

export { SseClient, type SseFrame, waitFor } from '@delivery/testing';

export const VIEWER: Identity = { kind: 'user', id: 'viewer-1', name: 'Vic Viewer', roles: ['viewer'] };

/** One gateway replica as the gateway runs it: its broker connection, its hub, the route over real HTTP. */
export interface Replica {
  url: string;
  hub: EventHub;
  connectionName: string;
  /** Why each stream of this replica ended, in order. */
  ends: StreamEndReason[];
}

/** A vhost of one test file, the replicas started on it, and a publisher. */
export class EventsEnv {
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  private constructor(
    readonly vhost: IsolatedVhost,
    private readonly publisher: Broker,
  ) {}

  static async create(): Promise<EventsEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'gw_events');
    const publisher = await Broker.connect({
      url: vhost.url,
      topology: gatewayTopology,
      connectionName: `test-publisher-${randomUUID()}`,
    });
    return new EventsEnv(vhost, publisher);
  }

  async replica(hubOptions: EventHubOptions = {}, routeOptions: EventRoutesOptions = {}): Promise<Replica> {
    const connectionName = `test-gateway-${randomUUID()}`;
    const broker = await Broker.connect({ url: this.vhost.url, topology: gatewayTopology, connectionName });
    const hub = await EventHub.start(broker, hubOptions);
    const ends: StreamEndReason[] = [];
    const app = express();
    app.set('query parser', 'simple'); // as createHttpApp sets it
    // Stands in for the gateway's authentication, which runs before the route.
    app.use((req, _res, next) => {
      req.identity = VIEWER;
      next();
    });
    app.use(eventRoutes(hub, { ...routeOptions, onStreamEnd: ({ reason }) => void ends.push(reason) }));
    app.use(errorMapper);
    const server: Server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.cleanups.push(async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await broker.close();
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, hub, connectionName, ends };
  }

  /** Publishes as the services do (confirmed, routed by the envelope type). */
  async publish(...envelopes: Envelope[]): Promise<void> {
    for (const envelope of envelopes) await this.publisher.publishEvent(envelope);
  }

  /** Publishes raw bytes, as a misbehaving producer would. */
  async publishRaw(routingKey: string, content: string): Promise<void> {
    const connection = await amqp.connect(this.vhost.url);
    const channel = await connection.createConfirmChannel();
    channel.publish(EVENTS_EXCHANGE, routingKey, Buffer.from(content));
    await channel.waitForConfirms();
    await connection.close();
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    await this.publisher.close();
    await this.vhost.delete();
  }
}

/** The n-th stage change of a project; `trigger` says which, so tests can check the order. */
export const stageChange = (projectId: string, n: number) =>
  projectStageChanged.create({
    projectId,
    stage: STAGES[n % STAGES.length] as (typeof STAGES)[number],
    generation: 1,
    from: 'ready',
    to: 'running',
    trigger: `change-${n}`,
    actor: null,
  });
