import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's own id (the correlation id spans the whole chain it starts). */
    requestId: string;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

// What a load balancer or a client may send; anything else could forge log lines.
const acceptable = /^[\w.:-]{1,128}$/;

/**
 * Takes the caller's (or the load balancer's) `x-request-id`, or makes one; answers with it, logs
 * it, and passes it on to the service the request is forwarded to.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get(REQUEST_ID_HEADER);
  req.requestId = incoming && acceptable.test(incoming) ? incoming : randomUUID();
  req.log = req.log.child({ requestId: req.requestId });
  res.setHeader(REQUEST_ID_HEADER, req.requestId);
  next();
};
