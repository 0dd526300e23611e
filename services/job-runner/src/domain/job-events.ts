import { jobEvents } from '@delivery/contracts';
import { commandEntry, eventEntry, type OutboxEntry } from '@delivery/messaging';
import type { JobDocument } from '../store/job-model.js';
import { dispatchJobCommand, jobDeadLetteredCommand } from './job-commands.js';

/**
 * The outbox entries each transition writes, in the same update as the transition itself.
 * Events carry the job's correlationId so a whole request chain can be followed across services.
 */
type JobFacts = Pick<
  JobDocument,
  '_id' | 'projectId' | 'stage' | 'kind' | 'attempts' | 'correlationId' | 'idempotencyKey' | 'enqueuedBy'
>;

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

export const dispatchEntry = (job: Pick<JobDocument, '_id' | 'correlationId'>, now: Date): OutboxEntry =>
  commandEntry(
    dispatchJobCommand.create({ jobId: job._id }, { correlationId: job.correlationId, occurredAt: now }),
    dispatchJobCommand.queue,
  );

export const jobOutbox = {
  queued: (job: JobFacts & Pick<JobDocument, 'nextRunAt'>, now: Date) =>
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
  canceled: (job: JobFacts, previousStatus: JobDocument['status'], now: Date) =>
    eventEntry(jobEvents.canceled.create({ ...ref(job), previousStatus }, meta(job, now))),
};
