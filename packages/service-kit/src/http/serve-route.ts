import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity, JsonBody, RouteContract } from '@delivery/contracts';
import { isJsonResponse } from '@delivery/contracts';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { labelRoute } from '../metrics/http-metrics.js';
import { identityOf, requireRole } from './authenticate.js';
import { DomainError } from './errors.js';

type Parsed<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

/** What a handler gets: the input already parsed with the contract's schemas. */
export interface RouteInput<R extends RouteContract> {
  params: Parsed<R['params'], Record<string, string>>;
  query: Parsed<R['query'], Record<string, never>>;
  body: R['body'] extends JsonBody<infer S> ? z.output<S> : undefined;
  /** The verified caller; undefined only on a public route. */
  identity: R['public'] extends true ? Identity | undefined : Identity;
  req: Request;
  res: Response;
}

/**
 * A handler's answer: a status the contract declares and its JSON body, or `undefined` when the
 * handler answered itself (a file's bytes, a stream).
 */
export type RouteReply = { status?: number; body?: unknown; headers?: Record<string, string> } | undefined;

export type RouteHandler<R extends RouteContract> = (
  input: RouteInput<R>,
) => Promise<RouteReply> | RouteReply;

/** A service answered something its contract does not declare: a bug, found while the tests run. */
class ResponseContractError extends DomainError {
  readonly status = 500;
  readonly code = 'response_contract_violation';
}

// Set by the test setup (jest/global-setup.ts) for every service the tests start: each JSON answer
// is checked against its route's response schema, and a mismatch answers 500 instead. Each route
// whose answer passed is noted in CHECKED_RESPONSES_DIR, so the run can tell which were never checked.
const checkResponses = () => process.env.CHECK_RESPONSES === '1';

function noteChecked(route: RouteContract): void {
  const dir = process.env.CHECKED_RESPONSES_DIR;
  if (dir) appendFileSync(join(dir, `${process.pid}.log`), `${route.method} ${route.path}\n`);
}

/**
 * Serves `route` on `router`: the one way a route is served, so what the contract says is what
 * runs. Refuses a caller without one of the contract's roles (403, before any input is read),
 * parses params, query and a JSON body with its schemas (400 with the paths), and sends the
 * handler's reply. Metrics and the request log name it by its contract path.
 */
export function serveRoute<R extends RouteContract>(
  router: Router,
  route: R,
  handler: RouteHandler<R>,
): void {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const guards = route.roles && route.roles.length > 0 ? [requireRole(...route.roles)] : [];
  // First, so a refusal by the guards is counted under the route too.
  const label: RequestHandler = (_req, res, next) => {
    labelRoute(res, route.path);
    next();
  };
  router[method](route.path, label, ...guards, async (req: Request, res: Response) => {
    const input = {
      params: route.params ? route.params.parse(req.params) : req.params,
      query: route.query ? route.query.parse(req.query) : {},
      body: parseBody(route, req),
      identity: route.public ? req.identity : identityOf(req),
      req,
      res,
    } as RouteInput<R>;
    const reply = await handler(input);
    if (reply === undefined) return;
    const status = reply.status ?? 200;
    if (checkResponses()) {
      checkReply(route, status, reply.body);
      noteChecked(route);
    }
    if (reply.headers) res.set(reply.headers);
    if (reply.body === undefined) res.status(status).end();
    else res.status(status).json(reply.body);
  });
}

function parseBody(route: RouteContract, req: Request): unknown {
  if (route.body?.kind !== 'json') return undefined;
  return route.body.schema.parse(route.body.optional ? (req.body ?? {}) : req.body);
}

/** Throws unless `status` is one the contract declares and `body` (as JSON) matches its schema. */
function checkReply(route: RouteContract, status: number, body: unknown): void {
  const declared = route.responses[status];
  if (declared === undefined) {
    throw new ResponseContractError(
      `${route.method} ${route.path} answered ${status}, which its contract does not declare`,
    );
  }
  if (!isJsonResponse(declared)) return;
  const result = declared.schema.safeParse(JSON.parse(JSON.stringify(body ?? null)));
  if (!result.success) {
    throw new ResponseContractError(`${route.method} ${route.path} answered ${status} off its contract`, {
      issues: result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    });
  }
}
