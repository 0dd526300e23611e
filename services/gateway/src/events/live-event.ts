import type { Envelope } from '@delivery/contracts';
import { sseEvent } from './sse-format.js';
import { projectIdOf } from './visible-events.js';

/** One event as every subscriber gets it: framed once, shared by all. */
export interface LiveEvent {
  /** The SSE id (see event-id.ts). */
  id: string;
  seq: number;
  /** The envelope's id: the same event delivered twice is streamed once. */
  envelopeId: string;
  projectId: string | undefined;
  /** The whole SSE frame: `id:` the stream position, `event:` the routing key, `data:` see eventData. */
  frame: string;
  /** Its size in bytes, which the buffer and the replay bounds count. */
  bytes: number;
}

export interface EventFilter {
  /** Only this project's events (blueprint runs, which belong to no project, are then left out). */
  projectId?: string;
}

export const matchesFilter = (filter: EventFilter, event: Pick<LiveEvent, 'projectId'>): boolean =>
  filter.projectId === undefined || event.projectId === filter.projectId;

/**
 * What a client gets as `data`: the envelope as published (id, type, version, occurredAt,
 * correlationId, subject, sequence, payload), so it parses with the contracts' schemas. An
 * envelope larger than `maxBytes` as JSON (a job's large result) goes without its payload, but
 * for its projectId, and with `truncated: true`: the client fetches the entity instead.
 */
export function eventData(envelope: Envelope, maxBytes: number): string {
  const full = JSON.stringify(envelope);
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const projectId = projectIdOf(envelope);
  return JSON.stringify({
    ...envelope,
    payload: projectId === undefined ? {} : { projectId },
    truncated: true,
  });
}

export function toLiveEvent(envelope: Envelope, id: string, seq: number, maxDataBytes: number): LiveEvent {
  const frame = sseEvent({ id, event: envelope.type, data: eventData(envelope, maxDataBytes) });
  return {
    id,
    seq,
    envelopeId: envelope.id,
    projectId: projectIdOf(envelope),
    frame,
    bytes: Buffer.byteLength(frame),
  };
}
