/**
 * Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * A field value must not hold a line break; `data` may, and is split into one line per `data:`.
 */
export interface SseEventFields {
  id?: string;
  event?: string;
  data: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

function field(name: string, value: string): string {
  if (LINE_BREAK.test(value) || value.includes('\0')) {
    throw new Error(`SSE ${name} must not contain a line break or NUL`);
  }
  return `${name}: ${value}\n`;
}

export function sseEvent({ id, event, data }: SseEventFields): string {
  const head = (id === undefined ? '' : field('id', id)) + (event === undefined ? '' : field('event', event));
  const body = data
    .split(LINE_BREAK)
    .map((line) => `data: ${line}\n`)
    .join('');
  return `${head}${body}\n`;
}

/** A comment line: clients ignore it; it keeps proxies and load balancers from timing the stream out. */
export const sseComment = (text: string): string => `: ${text.replace(/\r\n|\r|\n/g, ' ')}\n\n`;

/** How long an EventSource waits before reconnecting after the stream ends. */
export const sseRetry = (ms: number): string => `retry: ${Math.max(0, Math.floor(ms))}\n\n`;
