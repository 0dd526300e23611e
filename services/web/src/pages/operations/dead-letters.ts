import type { DeadLetter, DeadLetterQueueReport, DeadLetterService } from './types';

/** How many messages the page asks each service for (the API's default; it allows up to 1000). */
export const DEAD_LETTER_LIMIT = 100;

export const deadLettersPath = (service: DeadLetterService) =>
  `/api/dead-letters/${service}?limit=${DEAD_LETTER_LIMIT}`;

export const replayPath = (service: DeadLetterService, queue: string) =>
  `/api/dead-letters/${service}/${encodeURIComponent(queue)}/replay`;

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

/** `POST …/replay` answers with the ids of the messages it sent back. */
export interface ReplayResult {
  queue: string;
  replayed: string[];
}

export const replayedText = (result: ReplayResult) =>
  result.replayed.length === 0
    ? 'Nothing to replay: the queue was empty.'
    : `Replayed ${messages(result.replayed.length)}.`;

/** Replay-all has something to send only when the queue was read and holds messages. */
export const canReplayAll = (report: DeadLetterQueueReport) => (report.count ?? 0) > 0;

/** What "Inspect" shows: the whole message as the service described it, body included when given. */
export const inspectText = (message: DeadLetter) => JSON.stringify(message, null, 2);
