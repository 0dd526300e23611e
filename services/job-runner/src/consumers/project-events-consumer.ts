import { projectEvents, projectStageChanged } from '@delivery/contracts';
import type { Broker } from '@delivery/messaging';
import type { Logger } from '@delivery/service-kit';
import type { JobStore } from '../store/job-store.js';
import { PROJECT_EVENTS_QUEUE } from '../topology.js';

type StageChange = ReturnType<typeof projectStageChanged.parse>['payload'];
type ProjectUpdate = ReturnType<typeof projectEvents.updated.parse>['payload'];

/**
 * What the pipeline announces that ends work nobody will use (each cancel announces
 * `jobs.job.canceled.v1`; redelivery is harmless, a canceled job is not canceled again):
 * - a project archived: its jobs created by then. Not later ones: a late or repeated
 *   announcement must not cancel the work of the project restored since.
 * - a stage started over as a newer generation (facts its gate covered changed, a rework): the
 *   open jobs of its older generations, whose results the pipeline would ignore.
 */
export async function consumeProjectEvents(broker: Broker, store: JobStore, logger: Logger): Promise<void> {
  await broker.consume({
    queue: PROJECT_EVENTS_QUEUE,
    messages: [projectEvents.updated, projectStageChanged],
    handle: async (event) => {
      let canceled = 0;
      if (event.type === projectStageChanged.routingKey) {
        // Every change names the stage's generation; only a later one can leave older jobs behind.
        const { projectId, stage, generation } = event.payload as StageChange;
        if (generation > 1) canceled = await store.cancelOlderStageJobs(projectId, stage, generation);
      } else {
        const { projectId, status } = event.payload as ProjectUpdate;
        if (status === 'archived')
          canceled = await store.cancelOpenJobsOf(projectId, new Date(event.occurredAt));
      }
      if (canceled > 0) logger.info({ event: event.type, canceled }, 'canceled jobs nobody will use');
    },
  });
}
