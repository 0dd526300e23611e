import type { Identity } from '@delivery/contracts';
import { gatewayRoutes, lastEventIdSchema } from '@delivery/contracts/routes';
import { type Logger, silentLogger } from '@delivery/messaging';
import { serveRoute } from '@delivery/service-kit';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { BufferBudget } from './buffer-budget.js';
import type { EventHub, HubSignal, Opening } from './event-hub.js';
import { sseEvent } from './sse-format.js';
import { SseStream, type StreamEndReason } from './sse-stream.js';
import type { StreamRegistry } from './stream-registry.js';

export interface EventRoutesOptions {
  /** A comment line this often keeps idle streams alive through proxies (default 15 s). */
  keepAliveMs?: number;
  /** Unsent bytes a client may have before it is cut off; also the most one replay may hold (default 512 KiB). */
  maxBufferedBytes?: number;
  /** `retry:` sent to EventSource clients (default 3 s). */
  retryMs?: number;
  /**
   * A stream ends cleanly after this long (default 30 min): its client reconnects, is
   * authenticated again and resumes from its Last-Event-ID, so a revoked session stops streaming.
   */
  maxStreamMs?: number;
  /** Streams open at once on this replica; more get 503 (default 5000). */
  maxStreams?: number;
  /** Streams one identity (a person, by any of their sessions and keys) may have open on this replica; more get 429 (default 10). */
  maxStreamsPerIdentity?: number;
  /** Unsent bytes all the streams of this replica may hold together; past it the slowest are cut off (default 64 MiB). */
  maxTotalBufferedBytes?: number;
  logger?: Logger;
  /** Where open streams are kept by owner, so that signing out ends them (see StreamRegistry). */
  registry?: StreamRegistry;
  /** What a request's stream belongs to (its session or key, its account). */
  ownersOf?: (req: Request) => readonly string[];
  /** Told when a stream ends, and why (metrics, audit). */
  onStreamEnd?(end: { reason: StreamEndReason; identity: Identity }): void;
}

/** Ids are ours (event-id.ts), as in the query's `lastEventId` (the route's contract). */
const headersSchema = z.object({ 'last-event-id': lastEventIdSchema });

const opened = (opening: Opening): string =>
  opening.resync === undefined
    ? sseEvent({
        id: opening.headId,
        event: 'ready',
        data: JSON.stringify({ replayed: opening.replay.length }),
      })
    : sseEvent({ id: opening.headId, event: 'resync', data: JSON.stringify({ reason: opening.resync }) });

/**
 * `GET /api/events`: the live events any signed-in identity may see, as Server-Sent Events
 * (see README in this folder for the wire format). Mount after authentication.
 */
export function eventRoutes(hub: EventHub, options: EventRoutesOptions = {}): Router {
  const settings = {
    keepAliveMs: options.keepAliveMs ?? 15_000,
    maxBufferedBytes: options.maxBufferedBytes ?? 512 * 1024,
    retryMs: options.retryMs ?? 3_000,
    maxDurationMs: options.maxStreamMs ?? 30 * 60_000,
    maxStreams: options.maxStreams ?? 5_000,
    budget: new BufferBudget(options.maxTotalBufferedBytes ?? 64 * 1024 * 1024),
  };
  const maxPerIdentity = options.maxStreamsPerIdentity ?? 10;
  const logger = options.logger ?? silentLogger;
  const router = Router();
  /** Open streams per identity id. */
  const streamsOf = new Map<string, number>();

  serveRoute(router, gatewayRoutes.events, ({ identity, query, req, res }) => {
    const headers = headersSchema.parse({ 'last-event-id': req.get('last-event-id') });
    if (hub.closed || hub.subscriberCount >= settings.maxStreams) {
      return {
        status: 503,
        headers: { 'retry-after': '1' },
        body: {
          error: hub.closed ? 'shutting_down' : 'too_many_streams',
          message: 'live events are not available on this replica now; retry',
        },
      };
    }
    const open = streamsOf.get(identity.id) ?? 0;
    if (open >= maxPerIdentity) {
      return {
        status: 429,
        body: {
          error: 'too_many_streams_for_identity',
          message: `you have ${maxPerIdentity} live-event streams open already (other tabs or scripts?): close one first`,
          details: { limit: maxPerIdentity },
        },
      };
    }
    streamsOf.set(identity.id, open + 1);

    let unsubscribe = () => {};
    let unregister = () => {};
    const stream = new SseStream(res, {
      ...settings,
      onEnd: (reason) => {
        const left = (streamsOf.get(identity.id) ?? 1) - 1;
        if (left > 0) streamsOf.set(identity.id, left);
        else streamsOf.delete(identity.id);
        unsubscribe();
        unregister();
        if (reason === 'slow_client')
          logger.warn({ caller: identity.id }, 'live events client too slow; cut off');
        options.onStreamEnd?.({ reason, identity });
      },
    });
    const subscription = hub.subscribe(
      {
        filter: { projectId: query.projectId },
        lastEventId: headers['last-event-id'] ?? query.lastEventId,
        maxReplayBytes: settings.maxBufferedBytes,
      },
      (signal: HubSignal) => {
        if (signal.kind === 'event') stream.write(signal.event.frame);
        else if (signal.kind === 'resync') {
          stream.write(
            sseEvent({ id: signal.id, event: 'resync', data: JSON.stringify({ reason: signal.reason }) }),
          );
        } else stream.end('server_closing');
      },
    );
    unsubscribe = subscription.unsubscribe;
    if (options.registry && options.ownersOf) {
      unregister = options.registry.add(options.ownersOf(req), () => stream.end('signed_out'));
    }
    for (const event of subscription.opening.replay) stream.write(event.frame);
    stream.write(opened(subscription.opening));
    // Answered: the stream goes on by itself.
    return undefined;
  });
  return router;
}
