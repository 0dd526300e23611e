import type { Envelope } from '@delivery/contracts';
import { waitFor } from './http-helpers.js';

/** One SSE frame: an event (fields) or a comment line. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A client reading the stream with fetch and a small SSE parser, keeping every frame. */
export class SseClient {
  readonly frames: SseFrame[] = [];
  /** Resolves when the stream is over: `done` when it ended cleanly, `error` when cut or aborted. */
  readonly ended: Promise<'done' | 'error'>;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    this.ended = this.read();
  }

  /** Opens `<base>/api/events<query>`; `base` is a URL or anything with one (a test's server). */
  static async open(
    base: string | { url: string },
    query = '',
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    const abort = new AbortController();
    const url = typeof base === 'string' ? base : base.url;
    const response = await fetch(`${url}/api/events${query}`, { headers, signal: abort.signal });
    return new SseClient(response, abort);
  }

  /** Events only (no comments), the ready/resync signals included. */
  get events(): SseFrame[] {
    return this.frames.filter((frame) => frame.comment === undefined);
  }

  /** Domain events only: data parsed as the envelope. */
  get envelopes(): (Envelope & { sseId: string; sseEvent: string })[] {
    return this.events
      .filter((frame) => frame.event !== 'ready' && frame.event !== 'resync')
      .map((frame) => ({ ...JSON.parse(frame.data ?? 'null'), sseId: frame.id, sseEvent: frame.event }));
  }

  /** Waits for an event frame matching `predicate`; returns it. */
  until(predicate: (frame: SseFrame) => boolean, what: string, timeoutMs = 10_000): Promise<SseFrame> {
    return waitFor(() => this.events.find(predicate), timeoutMs, what);
  }

  untilEnvelopes(count: number, what = `${count} events`): Promise<unknown> {
    return waitFor(() => this.envelopes.length >= count, 10_000, what);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(): Promise<'done' | 'error'> {
    if (!this.response.body) return 'done';
    const decoder = new TextDecoder();
    let pending = '';
    let frame: SseFrame = {};
    try {
      for await (const chunk of this.response.body) {
        pending += decoder.decode(chunk as Uint8Array, { stream: true });
        const lines = pending.split(/\r\n|\r|\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) frame = this.parseLine(line, frame);
      }
      return 'done';
    } catch {
      return 'error';
    }
  }

  private parseLine(line: string, frame: SseFrame): SseFrame {
    if (line === '') {
      if (Object.keys(frame).length > 0) this.frames.push(frame);
      return {};
    }
    if (line.startsWith(':')) {
      this.frames.push({ comment: line.slice(1).trim() });
      return frame;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data')
      return { ...frame, data: frame.data === undefined ? value : `${frame.data}\n${value}` };
    if (name === 'id' || name === 'event') return { ...frame, [name]: value };
    return frame;
  }
}
