import { type Envelope, jobEvents } from '@delivery/contracts';
import { eventEntry, type OutboxEntry } from '@delivery/messaging';
import type { JobDocument } from '../store/job-model.js';
import { dispatchJobCommand, jobDeadLetteredCommand } from './job-commands.js';

/**
 * The outbox entries each transition writes, in the same update as the transition itself.
 * Events carry the job's correlationId so a whole request chain can be followed across services.
 */
type JobFacts = Pick<
  JobDocument,
  '_id' | 'projectId' | 'stage' | 'kind' | 'attempts' | 'correlationId' | 'idempotencyKey'
>;

const ref = (job: JobFacts) => ({
  jobId: job._id,
  idempotencyKey: job.idempotencyKey,
  projectId: job.projectId,
  stage: job.stage,
  kind: job.kind,
  attempt: job.attempts,
});
const meta = (job: JobFacts, now: Date) => ({ correlationId: job.correlationId, occurredAt: now });
const event = (envelope: Envelope): OutboxEntry => eventEntry(envelope);

export const dispatchEntry = (job: Pick<JobDocument, '_id' | 'correlationId'>, now: Date): OutboxEntry => ({
  destination: 'command',
  routingKey: dispatchJobCommand.queue,
  envelope: dispatchJobCommand.create(
    { jobId: job._id },
    { correlationId: job.correlationId, occurredAt: now },
  ),
});

export const jobOutbox = {
  queued: (job: JobFacts & Pick<JobDocument, 'nextRunAt'>, now: Date) =>
    event(jobEvents.queued.create({ ...ref(job), runAt: job.nextRunAt.toISOString() }, meta(job, now))),
  started: (job: JobFacts, workerId: string, now: Date) =>
    event(jobEvents.started.create({ ...ref(job), workerId }, meta(job, now))),
  succeeded: (job: JobFacts, result: unknown, now: Date) =>
    event(jobEvents.succeeded.create({ ...ref(job), result: result ?? null }, meta(job, now))),
  needsHuman: (job: JobFacts, reason: string, now: Date) =>
    event(jobEvents.needsHuman.create({ ...ref(job), reason }, meta(job, now))),
  retryScheduled: (job: JobFacts, error: string, nextRunAt: Date, now: Date) =>
    event(
      jobEvents.retryScheduled.create(
        { ...ref(job), error, nextRunAt: nextRunAt.toISOString() },
        meta(job, now),
      ),
    ),
  failed: (job: JobFacts, error: string, now: Date): OutboxEntry[] => [
    event(jobEvents.failed.create({ ...ref(job), error, deadLettered: true }, meta(job, now))),
    {
      destination: 'command',
      routingKey: jobDeadLetteredCommand.queue,
      envelope: jobDeadLetteredCommand.create({ ...ref(job), error }, meta(job, now)),
    },
  ],
  canceled: (job: JobFacts, previousStatus: JobDocument['status'], now: Date) =>
    event(jobEvents.canceled.create({ ...ref(job), previousStatus }, meta(job, now))),
};
