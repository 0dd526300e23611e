import type { OutboxRelay, OutboxWritten } from '@delivery/messaging';
import { type Lifecycle, type Logger, openRuntime, type RuntimeConfig } from '@delivery/service-kit';
import { allModels } from './store/all-models.js';
import { approvalModel } from './store/approval-model.js';
import { gateConfigModel, gateOverridesModel } from './store/config-models.js';
import { evaluationModel } from './store/evaluation-model.js';
import { projectFactsModel } from './store/project-facts-model.js';
import { hitlTopology } from './topology.js';

/** Database, broker, and the outbox relays of approvals and evaluation records. */
export async function openHitlRuntime(config: RuntimeConfig, lifecycle: Lifecycle, logger: Logger) {
  const runtime = await openRuntime(
    {
      config,
      role: 'api',
      topology: hitlTopology,
      models: allModels,
      outboxModels: (connection) => [approvalModel(connection), evaluationModel(connection)],
    },
    lifecycle,
    logger,
  );
  const [approvalRelay, evaluationRelay] = runtime.relays as [OutboxRelay, OutboxRelay];
  const { mongo } = runtime;
  return {
    ...runtime,
    approvals: approvalModel(mongo),
    evaluations: evaluationModel(mongo),
    gateConfig: gateConfigModel(mongo),
    gateOverrides: gateOverridesModel(mongo),
    projects: projectFactsModel(mongo),
    /** The stores report what they appended to an outbox; it goes out at once. */
    approvalWritten: ((id, entries) => approvalRelay.publishWritten(id, entries)) satisfies OutboxWritten,
    evaluationWritten: ((id, entries) => evaluationRelay.publishWritten(id, entries)) satisfies OutboxWritten,
  };
}
