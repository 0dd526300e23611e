import { projectEvents } from '@delivery/contracts';
import type { Broker } from '@delivery/messaging';
import type { Logger } from '@delivery/service-kit';
import type { JobStore } from '../store/job-store.js';
import { PROJECT_EVENTS_QUEUE } from '../topology.js';

/**
 * The pipeline announces a project's facts; an archived project's jobs that have not ended are
 * canceled (each announces `jobs.job.canceled.v1`), so nothing keeps working for it. Only jobs
 * created by the time it was archived: a late or repeated announcement must not cancel the work
 * of the project restored since. Redelivery is harmless: a canceled job is not canceled again.
 */
export async function consumeProjectArchived(broker: Broker, store: JobStore, logger: Logger): Promise<void> {
  await broker.consume({
    queue: PROJECT_EVENTS_QUEUE,
    messages: [projectEvents.updated],
    handle: async (event) => {
      const { projectId, status } = event.payload;
      if (status !== 'archived') return;
      const canceled = await store.cancelOpenJobsOf(projectId, new Date(event.occurredAt));
      if (canceled > 0) logger.info({ projectId, canceled }, "canceled an archived project's jobs");
    },
  });
}
