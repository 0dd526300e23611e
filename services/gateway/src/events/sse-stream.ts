import type { Response } from 'express';
import type { BudgetedStream, BufferBudget } from './buffer-budget.js';
import { sseComment, sseRetry } from './sse-format.js';

/**
 * Why a stream ended: the client went away, it fell too far behind, it reached its maximum
 * duration (the client reconnects, authenticating again), or the server is stopping.
 */
export type StreamEndReason =
  | 'client_closed'
  | 'slow_client'
  | 'max_duration'
  | 'server_closing'
  | 'signed_out';

export interface SseStreamOptions {
  keepAliveMs: number;
  /** Bytes a stream may have written but not yet sent to its client; past it the client is cut off. */
  maxBufferedBytes: number;
  /** Sent as `retry:`: how long an EventSource waits before reconnecting. */
  retryMs: number;
  /** The stream ends cleanly after this long, so that no stream outlives its caller's session. */
  maxDurationMs: number;
  /** What all the replica's streams may hold unsent together (see BufferBudget). */
  budget?: BufferBudget;
  onEnd(reason: StreamEndReason): void;
}

/**
 * One client's event stream on an HTTP response. Writing never waits for the client: what it has
 * not read yet stays buffered in the process, so a stream whose buffer passes the bound is
 * destroyed, and so is the slowest one when all the streams together pass the budget. The client
 * reconnects with its Last-Event-ID and resumes or refetches; memory stays bounded by the smaller
 * of (clients × bound) and the budget, whatever the clients do.
 */
export class SseStream implements BudgetedStream {
  readonly #res: Response;
  readonly #options: SseStreamOptions;
  readonly #keepAlive: NodeJS.Timeout;
  readonly #expiry: NodeJS.Timeout;
  #ended = false;

  constructor(res: Response, options: SseStreamOptions) {
    this.#res = res;
    this.#options = options;
    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: a compressing proxy would hold events back to fill its blocks.
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx (and ingresses built on it) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    res.on('close', () => this.#finish('client_closed'));
    this.#keepAlive = setInterval(() => this.write(sseComment('keep-alive')), options.keepAliveMs);
    this.#keepAlive.unref();
    this.#expiry = setTimeout(() => this.end('max_duration'), options.maxDurationMs);
    this.#expiry.unref();
    this.write(sseRetry(options.retryMs));
  }

  get ended(): boolean {
    return this.#ended;
  }

  get unsentBytes(): number {
    return this.#res.writableLength;
  }

  /** Writes `text`; false once the stream has ended (now or before). */
  write(text: string): boolean {
    if (this.#ended) return false;
    this.#res.write(text);
    if (this.#res.writableLength > this.#options.maxBufferedBytes) {
      this.cutOff();
      return false;
    }
    this.#options.budget?.wrote(this);
    return !this.#ended;
  }

  /** The client is too far behind: the stream is destroyed at once (nothing more is sent). */
  cutOff(): void {
    if (this.#ended) return;
    this.#finish('slow_client');
    this.#res.destroy();
  }

  /** Ends the response cleanly (what was written is still sent). */
  end(reason: StreamEndReason): void {
    if (this.#ended) return;
    this.#finish(reason);
    this.#res.end();
  }

  #finish(reason: StreamEndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#keepAlive);
    clearTimeout(this.#expiry);
    this.#options.budget?.release(this);
    this.#options.onEnd(reason);
  }
}
