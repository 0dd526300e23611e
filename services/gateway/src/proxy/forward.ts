import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';

/**
 * Streams one request to an upstream and resolves with its response once the headers arrive:
 * bodies (uploads, downloads) pass through without being buffered. Only the headers a service
 * needs go along; the caller's cookie and credentials never do (`authorization` is the token
 * the gateway signed for this request).
 */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
  'range',
  'user-agent',
  'last-event-id',
  'traceparent',
  'tracestate',
] as const;

/** Hop-by-hop headers (RFC 9110 7.6.1) and cookies are not passed back. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
]);

export class UpstreamTimeoutError extends Error {}
export class UpstreamUnreachableError extends Error {}
/** The body went past its limit while streaming (a request without content-length). */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
  }
}

export interface ForwardRequest {
  url: URL;
  req: Request;
  token: string;
  timeoutMs: number;
  bodyLimitBytes: number;
}

export function forward({
  url,
  req,
  token,
  timeoutMs,
  bodyLimitBytes,
}: ForwardRequest): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'x-correlation-id': req.correlationId,
    'x-request-id': req.requestId,
  };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const upstream: ClientRequest = send(url, { method: req.method, headers });
    // Only until the response headers: a long download must not be cut off.
    const timer = setTimeout(() => {
      upstream.destroy(new UpstreamTimeoutError(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    upstream.on('response', (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    upstream.on('error', (error) => {
      clearTimeout(timer);
      reject(
        error instanceof UpstreamTimeoutError || error instanceof BodyTooLargeError
          ? error
          : new UpstreamUnreachableError(error.message),
      );
    });
    // The client gave up: so does the upstream request.
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    pipeline(req, bodyLimit(bodyLimitBytes), upstream).catch((error: Error) => {
      upstream.destroy(error instanceof BodyTooLargeError ? error : undefined);
    });
  });
}

function bodyLimit(limitBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      callback(seen > limitBytes ? new BodyTooLargeError(limitBytes) : null, chunk);
    },
  });
}

/** The response headers to pass back to the client. */
export function passedBack(response: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) headers[name] = value;
  }
  return headers;
}
