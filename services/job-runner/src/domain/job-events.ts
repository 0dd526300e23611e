import { type Actor, type JobStatus, jobEvents, type Stage } from '@delivery/contracts';
import { commandEntry, eventEntry, type OutboxEntry } from '@delivery/messaging';
import { dispatchJobCommand, jobDeadLetteredCommand } from './job-commands.js';

/**
 * What a job's messages tell of it: the domain's own view of a job, which the stored job
 * satisfies as it is (hence `_id`, the job id under the name the store gives it).
 */
export interface JobFacts {
  _id: string;
  projectId: string;
  stage: Stage;
  kind: string;
  /** The attempt the message is about. */
  attempts: number;
  correlationId: string;
  idempotencyKey: string;
  /** Who enqueued it, as verified; absent on jobs from before it was recorded. */
  enqueuedBy?: Actor;
}

const ref = (job: JobFacts) => ({
  jobId: job._id,
  idempotencyKey: job.idempotencyKey,
  projectId: job.projectId,
  stage: job.stage,
  kind: job.kind,
  attempt: job.attempts,
  // Who enqueued it, so that the pipeline acts only on the jobs it enqueued itself.
  ...(job.enqueuedBy ? { enqueuedBy: job.enqueuedBy } : {}),
});
const meta = (job: JobFacts, now: Date) => ({ correlationId: job.correlationId, occurredAt: now });

export const dispatchEntry = (job: Pick<JobFacts, '_id' | 'correlationId'>, now: Date): OutboxEntry =>
  commandEntry(
    dispatchJobCommand.create({ jobId: job._id }, { correlationId: job.correlationId, occurredAt: now }),
    dispatchJobCommand.queue,
  );

/**
 * The outbox entries each transition writes, in the same update as the transition itself.
 * Events carry the job's correlationId so a whole request chain can be followed across services.
 */
export const jobOutbox = {
  queued: (job: JobFacts & { nextRunAt: Date }, now: Date) =>
    eventEntry(jobEvents.queued.create({ ...ref(job), runAt: job.nextRunAt.toISOString() }, meta(job, now))),
  started: (job: JobFacts, workerId: string, now: Date) =>
    eventEntry(jobEvents.started.create({ ...ref(job), workerId }, meta(job, now))),
  succeeded: (job: JobFacts, result: unknown, now: Date) =>
    eventEntry(jobEvents.succeeded.create({ ...ref(job), result: result ?? null }, meta(job, now))),
  needsHuman: (job: JobFacts, reason: string, now: Date) =>
    eventEntry(jobEvents.needsHuman.create({ ...ref(job), reason }, meta(job, now))),
  retryScheduled: (job: JobFacts, error: string, nextRunAt: Date, now: Date) =>
    eventEntry(
      jobEvents.retryScheduled.create(
        { ...ref(job), error, nextRunAt: nextRunAt.toISOString() },
        meta(job, now),
      ),
    ),
  failed: (job: JobFacts, error: string, now: Date): OutboxEntry[] => [
    eventEntry(jobEvents.failed.create({ ...ref(job), error, deadLettered: true }, meta(job, now))),
    commandEntry(
      jobDeadLetteredCommand.create({ ...ref(job), error }, meta(job, now)),
      jobDeadLetteredCommand.queue,
    ),
  ],
  canceled: (job: JobFacts, previousStatus: JobStatus, now: Date) =>
    eventEntry(jobEvents.canceled.create({ ...ref(job), previousStatus }, meta(job, now))),
};
