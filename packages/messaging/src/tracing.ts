import type { Envelope } from '@delivery/contracts';
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/**
 * W3C trace context travels in AMQP headers (`traceparent`, `tracestate`), so a consume span in one
 * process is a child of the publish span in another. Without a registered SDK these are no-ops.
 */
const tracer = trace.getTracer('@delivery/messaging');

type Headers = Record<string, unknown>;

const headerSetter = {
  set(carrier: Headers, key: string, value: string) {
    carrier[key] = value;
  },
};

const headerGetter = {
  keys: (carrier: Headers) => Object.keys(carrier),
  get(carrier: Headers, key: string) {
    const value = carrier[key];
    if (value === undefined || value === null) return undefined;
    return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  },
};

export async function withPublishSpan<T>(
  destination: string,
  routingKey: string,
  headers: Headers,
  publish: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `${routingKey} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': destination,
        'messaging.rabbitmq.destination.routing_key': routingKey,
      },
    },
    async (span) => {
      propagation.inject(context.active(), headers, headerSetter);
      return endSpan(span, publish);
    },
  );
}

export function extractContext(headers: Headers | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, headerGetter);
}

/** W3C trace headers (`traceparent`, `tracestate`) saved with a message that is published later. */
export type TraceCarrier = Record<string, string>;

/**
 * The active trace context as headers, for a message written now and published later by an
 * outbox relay (maybe another process, after a crash): publishing it under this context keeps the
 * message in the trace of whatever caused it. Undefined when no span is active or no SDK runs.
 */
export function activeTraceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier, headerSetter);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** Runs `work` in the context saved by activeTraceCarrier (the root context when none was saved). */
export function withTraceCarrier<T>(carrier: TraceCarrier | undefined, work: () => T): T {
  return context.with(extractContext(carrier), work);
}

/** The span attribute that names a project, so every trace touching one project can be found. */
export const PROJECT_ID_ATTRIBUTE = 'delivery.project.id';

/**
 * What a consume span says about the message it processes: its id and correlation id, and the
 * project it concerns when its payload names one (most of ours do).
 */
export function envelopeAttributes(envelope: Envelope): Record<string, string> {
  const attributes: Record<string, string> = {
    'messaging.message.id': envelope.id,
    'delivery.correlation_id': envelope.correlationId,
  };
  const projectId = (envelope.payload as { projectId?: unknown } | null)?.projectId;
  if (typeof projectId === 'string') attributes[PROJECT_ID_ATTRIBUTE] = projectId;
  return attributes;
}

export async function withConsumeSpan<T>(
  queue: string,
  routingKey: string,
  headers: Headers | undefined,
  messageAttributes: Record<string, string>,
  handle: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `${queue} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.destination.name': queue,
        'messaging.rabbitmq.destination.routing_key': routingKey,
        ...messageAttributes,
      },
    },
    extractContext(headers),
    (span) => endSpan(span, handle),
  );
}

/** Runs `work` in a span of its own, a child of the active one, that ends with work's outcome. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, (span) => endSpan(span, work));
}

async function endSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}
