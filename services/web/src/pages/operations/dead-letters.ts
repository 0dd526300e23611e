import { UPSTREAMS, type Upstream } from '@delivery/contracts/public-paths';
import type { DeadLetter, DeadLetterQueueReport, ReplayResult } from '../../api/answers';

/** Every service behind the gateway keeps its own dead letters (`/api/dead-letters/<service>`). */
export const DEAD_LETTER_SERVICES = UPSTREAMS;
export type DeadLetterService = Upstream;

/** How many messages the page asks each service for (the API's default; it allows up to 1000). */
export const DEAD_LETTER_LIMIT = 100;

/** The route keys of one service's dead letters: its list, and a replay from one of its queues. */
export const listKeyOf = (service: DeadLetterService) => `GET /api/dead-letters/${service}` as const;
export const replayKeyOf = (service: DeadLetterService) =>
  `POST /api/dead-letters/${service}/:queue/replay` as const;

export type ReplaySelection = { id: string } | { all: true };

const QUEUE_ERRORS: Record<NonNullable<DeadLetterQueueReport['error']>, string> = {
  queue_missing: 'the queue is not on the broker (the service declares it again when it reconnects)',
  broker_unavailable: 'the broker could not be reached',
};

const messages = (count: number) => `${count} ${count === 1 ? 'message' : 'messages'}`;

/** One line on a queue: its count, whether the list is cut, or why it could not be read. */
export function queueSummary(report: DeadLetterQueueReport): string {
  if (report.count === null) {
    return `Could not be read: ${report.error ? QUEUE_ERRORS[report.error] : 'unknown reason'}`;
  }
  if (report.count === 0) return 'Empty';
  if (report.count > report.messages.length) {
    return `${messages(report.count)}, showing the oldest ${report.messages.length}`;
  }
  return messages(report.count);
}

export const replayedText = (result: ReplayResult) =>
  result.replayed.length === 0
    ? 'Nothing to replay: the queue was empty.'
    : `Replayed ${messages(result.replayed.length)}.`;

/** Replay-all has something to send only when the queue was read and holds messages. */
export const canReplayAll = (report: DeadLetterQueueReport) => (report.count ?? 0) > 0;

/** What "Inspect" shows: the whole message as the service described it, body included when given. */
export const inspectText = (message: DeadLetter) => JSON.stringify(message, null, 2);
