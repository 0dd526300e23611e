import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { publicPathOf, UPSTREAMS, type Upstream } from '@delivery/contracts/routes';
import {
  callInTurn,
  createBreaker,
  identityOf,
  type Logger,
  labelRoute,
  upstreamPool,
} from '@delivery/service-kit';
import type { RequestHandler, Response } from 'express';
import {
  BodyTooLargeError,
  ClientAbortedError,
  ClientBodyTimeoutError,
  forward,
  passedBack,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
} from './forward.js';
import type { IdentityTokens } from './identity-tokens.js';
import { compileRoutingTable, type RoutingTable } from './upstream-routes.js';

export interface ProxyRoutesDeps {
  /** Each service's base URL, or its replicas' (taken in turn, one that refuses passed over). */
  baseUrls: Record<Upstream, string | readonly string[]>;
  tokens: IdentityTokens;
  /** How long an upstream has to start answering once it has the request's body. */
  timeoutMs: number;
  /** How long a client may leave its body without a next piece (then 408, not the upstream's fault). */
  clientBodyTimeoutMs: number;
  /** The largest body of a request that is not an upload, and of an upload (multipart). */
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** How long an open breaker refuses before it lets one request try again. */
  breakerResetMs?: number;
  /** Where each path goes; default: compiled from the route contracts. */
  routes?: RoutingTable;
  logger: Logger;
}

/**
 * An upstream answered 502 or 504, which is what a proxy or load balancer in front of it says
 * when it cannot reach it or it does not answer: passed back as it is, but counted against its
 * breaker. A 503 (or any other status) is the service answering about itself, e.g. that its own
 * database is down: it is reachable, and its other routes may well work.
 */
class UpstreamFailedError extends Error {
  constructor(readonly response: IncomingMessage) {
    super(`answered ${response.statusCode}`);
  }
}

const isOpenBreaker = (error: unknown) => (error as { code?: string }).code === 'EOPENBREAKER';

/**
 * `/api/...` paths a service's contract names (upstream-routes.ts) go to it, and a path some
 * contract names asked with a method none has is 405 with `Allow`; each service behind its own
 * breaker: a service that is down or failing answers 503 on its routes only, at once, while the
 * others go on; once its breaker lets a trial request through and it succeeds, its routes work
 * again by themselves. Mounted before the JSON body parser: bodies stream through, bounded.
 *
 * The breaker counts only what says the service cannot be reached: no connection (refused,
 * reset, unknown host), no answer within `timeoutMs` once it has the body (or while it takes no
 * more of it), and 502/504 answers. Everything the client does (too big a body, a body that
 * stops coming, going away) and every answer the service gives itself (4xx, 500, 503) is not.
 */
export function proxyRoutes(deps: ProxyRoutesDeps): RequestHandler {
  const breakers = Object.fromEntries(
    UPSTREAMS.map((upstream) => [
      upstream,
      createBreaker((send: () => Promise<IncomingMessage>) => send(), {
        name: `upstream ${upstream}`,
        // None of its own (0): a timer around the whole call would time the client's body too;
        // forward times the service's part alone.
        timeoutMs: 0,
        resetTimeoutMs: deps.breakerResetMs ?? 5_000,
        // What the caller did (too big a body, going away) says nothing about the service.
        isCallerError: (error) =>
          error instanceof BodyTooLargeError ||
          error instanceof ClientAbortedError ||
          error instanceof ClientBodyTimeoutError,
        logger: deps.logger,
      }),
    ]),
  ) as Record<Upstream, ReturnType<typeof createBreaker<[() => Promise<IncomingMessage>], IncomingMessage>>>;

  const routes = deps.routes ?? compileRoutingTable();
  const pools = Object.fromEntries(
    UPSTREAMS.map((upstream) => {
      const urls = deps.baseUrls[upstream];
      return [upstream, upstreamPool(typeof urls === 'string' ? [urls] : urls)];
    }),
  ) as Record<Upstream, ReturnType<typeof upstreamPool>>;

  return async (req, res, next) => {
    const { pathname, search } = new URL(req.originalUrl, 'http://gateway');
    const target = routes.lookup(req.method, pathname);
    // Counted under the public path of the contract it goes to, as the gateway's clients ask it.
    if (target?.kind === 'upstream') labelRoute(res, publicPathOf(target.upstream, target.route.path));
    if (target?.kind === 'method_not_allowed') {
      methodNotAllowed(res, req.method, target.allow);
      return;
    }
    // No one's (the gateway's 404), or the gateway's own: its routers answer.
    if (target?.kind !== 'upstream') {
      next();
      return;
    }
    const { upstream } = target;
    // Uploads may be large; every other body has the JSON limit, whatever its content type says.
    const isUpload = target.route.body?.kind === 'multipart';
    const bodyLimitBytes = isUpload ? deps.uploadLimitBytes : deps.bodyLimitBytes;
    if (Number(req.get('content-length') ?? 0) > bodyLimitBytes) {
      tooLarge(res, bodyLimitBytes);
      return;
    }
    try {
      const token = await deps.tokens.for(identityOf(req), upstream);
      // One breaker for the service, around all its replicas: a request one of them refused
      // (it got nothing, body included) goes to the next, whatever its method, and the service
      // counts as unreachable only when none took it. Nothing that reached a replica is sent again.
      const response = await breakers[upstream].fire(async () => {
        const answer = await callInTurn(
          pools[upstream],
          req.method,
          (base) =>
            forward({
              url: new URL(`${target.path}${search}`, base),
              req,
              token,
              timeoutMs: deps.timeoutMs,
              clientBodyTimeoutMs: deps.clientBodyTimeoutMs,
              bodyLimitBytes,
            }),
          {
            retryable: (error) => error instanceof UpstreamUnreachableError && !error.connected,
            unreachable: (error) => error instanceof UpstreamUnreachableError,
          },
        );
        if (answer.statusCode === 502 || answer.statusCode === 504) throw new UpstreamFailedError(answer);
        return answer;
      });
      await passBack(response, res);
    } catch (error) {
      if (error instanceof UpstreamFailedError) await passBack(error.response, res);
      else if (error instanceof BodyTooLargeError) tooLarge(res, error.limitBytes);
      else if (error instanceof ClientAbortedError) res.destroy();
      else if (error instanceof ClientBodyTimeoutError) bodyTimedOut(res, deps.clientBodyTimeoutMs);
      else if (error instanceof UpstreamTimeoutError)
        unavailable(res, 504, 'upstream_timeout', upstream, error.message);
      else if (error instanceof UpstreamUnreachableError || isOpenBreaker(error)) {
        req.log.warn({ upstream, err: error }, 'upstream unavailable');
        unavailable(
          res,
          503,
          'upstream_unavailable',
          upstream,
          `${upstream} is not answering; try again shortly`,
        );
      } else next(error);
    }
  };
}

function methodNotAllowed(res: Response, method: string, allow: readonly string[]): void {
  res.setHeader('allow', allow.join(', '));
  res.status(405).json({
    error: 'method_not_allowed',
    message: `${method} is not a method of this path; it has ${allow.join(', ')}`,
    allow,
  });
}

async function passBack(response: IncomingMessage, res: Response): Promise<void> {
  res.writeHead(response.statusCode ?? 502, passedBack(response));
  // A client that goes away ends the upstream response too (pipeline destroys both).
  await pipeline(response, res).catch(() => undefined);
}

function tooLarge(res: Response, limitBytes: number): void {
  if (res.headersSent) return void res.destroy();
  res.setHeader('connection', 'close');
  res
    .status(413)
    .json({ error: 'payload_too_large', message: `the body may be ${limitBytes} bytes at most`, limitBytes });
}

function bodyTimedOut(res: Response, timeoutMs: number): void {
  if (res.headersSent) return void res.destroy();
  // The rest of the body may still come: the connection cannot carry another request.
  res.setHeader('connection', 'close');
  res.status(408).json({
    error: 'request_timeout',
    message: `the request body stopped coming (nothing for ${timeoutMs} ms)`,
  });
}

function unavailable(
  res: Response,
  status: number,
  error: string,
  upstream: Upstream,
  message: string,
): void {
  if (res.headersSent) return void res.destroy();
  res.setHeader('retry-after', '5');
  res.status(status).json({ error, upstream, message });
}
