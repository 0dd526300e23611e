import type { OutboxEntry } from '@delivery/messaging';

/**
 * Told, after each write that appended outbox entries to a job, which entries those were, so
 * the process publishes them at once (OutboxRelay.publishWritten). Nothing is lost if it does
 * not: the relay's scan publishes entries left behind.
 */
export type OutboxWritten = (jobId: string, entries: readonly OutboxEntry[]) => void;

export const ignoreWrites: OutboxWritten = () => undefined;
