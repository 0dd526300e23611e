import { EVENTS_EXCHANGE, enqueueJobCommand, projectEvents, projectStageChanged } from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';
import { dispatchJobCommand, jobDeadLetteredCommand } from './domain/job-commands.js';

/** The pipeline's project announcements: an archived project's jobs, a restarted stage's older ones, are canceled. */
export const PROJECT_EVENTS_QUEUE = 'job-runner.project-events';

/** Every queue the job-runner owns. Declared by both its processes; declaring is idempotent. */
export const jobRunnerTopology: Topology = {
  eventsExchange: EVENTS_EXCHANGE,
  queues: [
    { name: enqueueJobCommand.queue },
    // A dispatch that cannot be handled (database down) is retried soon; the scheduler's
    // re-dispatch covers anything that still ends in its dead-letter queue.
    { name: dispatchJobCommand.queue, retryDelaysMs: [1_000, 5_000] },
    // Parked failed jobs for operators; nobody consumes it, so no retries.
    { name: jobDeadLetteredCommand.queue, retryDelaysMs: [] },
    {
      name: PROJECT_EVENTS_QUEUE,
      bindings: [projectEvents.updated.routingKey, projectStageChanged.routingKey],
    },
  ],
};
