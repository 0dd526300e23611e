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

export async function withConsumeSpan<T>(
  queue: string,
  routingKey: string,
  headers: Headers | undefined,
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
      },
    },
    extractContext(headers),
    (span) => endSpan(span, handle),
  );
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
