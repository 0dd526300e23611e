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
/** The caller stopped (disconnected, or its body broke off): nothing about the upstream. */
export class ClientAbortedError extends Error {}
/** The caller's body stopped coming while it stayed connected: nothing about the upstream either. */
export class ClientBodyTimeoutError extends Error {}
/**
 * The upstream could not be reached, or its connection broke before it answered. `connected`
 * says whether a connection was ever made: when it was not, the upstream got nothing (not even
 * the body, which is only sent once connected) and the request may go to another replica as it is.
 */
export class UpstreamUnreachableError extends Error {
  constructor(
    message: string,
    readonly connected: boolean,
  ) {
    super(message);
  }
}
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
  /** How long the upstream has to answer once it has the body (or to take the next piece of it). */
  timeoutMs: number;
  /** How long the client may leave its body without a next piece. */
  clientBodyTimeoutMs: number;
  bodyLimitBytes: number;
}

export function forward({
  url,
  req,
  token,
  timeoutMs,
  clientBodyTimeoutMs,
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
    // Why this request is being stopped, when it is our side stopping it: the error the
    // upstream socket reports then ("socket hang up") says nothing about whose fault it was,
    // and only an unavailable service may count against its breaker.
    let stoppedFor: Error | undefined;
    const stop = (reason: Error) => {
      stoppedFor ??= reason;
      upstream.destroy(reason);
    };
    // Whoever we are waiting for has its own time, and a stall is blamed on them: the client
    // while its body is still coming and the upstream takes what it gets; the upstream once the
    // body is all in (or while it takes no more of it). Only until the response headers: a long
    // download must not be cut off. Each piece of the body starts the client's time again.
    // Until it accepts the connection it is the upstream's turn: nothing of the body is read yet.
    let connected = false;
    const clientsTurn = () => connected && !req.readableEnded && !upstream.writableNeedDrain;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const watch = () => {
      clearTimeout(timer);
      if (settled) return;
      const client = clientsTurn();
      timer = setTimeout(
        () => {
          // The turn passed to the other side since: it gets its full time from now.
          if (clientsTurn() !== client) return watch();
          stop(
            client
              ? new ClientBodyTimeoutError(`no piece of the body for ${clientBodyTimeoutMs} ms`)
              : new UpstreamTimeoutError(`no answer within ${timeoutMs} ms`),
          );
        },
        client ? clientBodyTimeoutMs : timeoutMs,
      );
    };
    watch();
    req.once('end', watch);
    upstream.on('drain', watch);
    upstream.on('response', (response) => {
      settled = true;
      clearTimeout(timer);
      resolve(response);
    });
    upstream.on('error', (error) => {
      settled = true;
      clearTimeout(timer);
      reject(stoppedFor ?? new UpstreamUnreachableError(error.message, connected));
    });
    // The client gave up (before or after its body was sent): so does the upstream request.
    req.res?.on('close', () => {
      if (!req.res?.writableFinished) stop(new ClientAbortedError('the client went away'));
    });
    // The body is read only once the upstream accepted the connection: a replica that refuses it
    // leaves the body unread, so the caller can send the request to another one.
    const sendBody = () => {
      connected = true;
      watch();
      pipeline(req, bodyLimit(bodyLimitBytes, watch), upstream).catch((error: Error) => {
        stop(error instanceof BodyTooLargeError ? error : new ClientAbortedError(error.message));
      });
    };
    upstream.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', sendBody);
      else sendBody();
    });
  });
}

function bodyLimit(limitBytes: number, onPiece: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      onPiece();
      seen += chunk.length;
      callback(seen > limitBytes ? new BodyTooLargeError(limitBytes) : null, chunk);
    },
  });
}

/** The response headers to pass back to the client. */
export function passedBack(response: IncomingMessage): Record<string, string | string[]> {
  // Headers the upstream's Connection header names are hop-by-hop too.
  const named = new Set(
    String(response.headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name) && !named.has(name)) headers[name] = value;
  }
  return headers;
}
