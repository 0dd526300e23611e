import {
  type Envelope,
  evaluateGateCommand,
  type ProjectFacts,
  projectEvents,
  projectStageChanged,
} from '@delivery/contracts';
import { type Broker, UnprocessableMessageError } from '@delivery/messaging';
import { findLimitViolation, type InputLimits } from '@delivery/service-kit';
import { closingsFor, type ProjectChange } from '../domain/project-changes.js';
import type { ApprovalStore } from '../store/approval-store.js';
import type { ProjectFactsStore } from '../store/project-facts-store.js';
import { PROJECT_FACTS_QUEUE } from '../topology.js';
import { type EvaluateGateDeps, evaluateGate } from './evaluate-gate.js';

/**
 * `hitl.gate.evaluate`. Its context is stored on the approval and shown to people, so it is held
 * to the bounds HTTP bodies are (depth, sizes, no `$` or `.` keys that would break the store); a
 * command past them can never be stored and goes to the dead-letter queue with the reason.
 */
export async function consumeEvaluateCommands(
  broker: Broker,
  deps: EvaluateGateDeps,
  limits: InputLimits,
): Promise<void> {
  await broker.consume({
    queue: evaluateGateCommand.queue,
    messages: [evaluateGateCommand],
    handle: async (command) => {
      const violation = findLimitViolation(command.payload, limits);
      if (violation) throw new UnprocessableMessageError(violation.message);
      await evaluateGate(command, deps);
    },
  });
}

/**
 * The pipeline's project events: kept as hitl's projection of the facts its gates need, and
 * closing the approvals they make moot (an archived project's, a reset stage's older generation).
 */
export async function consumeProjectEvents(
  broker: Broker,
  projects: ProjectFactsStore,
  approvals: ApprovalStore,
  clock: () => Date,
): Promise<void> {
  await broker.consume({
    queue: PROJECT_FACTS_QUEUE,
    messages: [projectEvents.created, projectEvents.updated, projectStageChanged],
    handle: async (event) => {
      if (event.type === projectStageChanged.routingKey) {
        const { projectId, stage, generation, to } = event.payload as ProjectStageChange;
        if (to === 'pending')
          await closeApprovals(approvals, projectId, { type: 'stage_reset', stage, generation }, clock);
        return;
      }
      const facts = event as Envelope<ProjectFacts>;
      await projects.applyEvent(facts);
      // Judged on the projection, not on this event: a late or repeated "archived" that a newer
      // "restored" overtook withdraws nothing, and a redelivery finishes what a crash left undone.
      const known = await projects.get(facts.payload.projectId);
      if (known?.status === 'archived') {
        const archived = { type: 'status', status: 'archived', sequence: known.sequence ?? 0 } as const;
        await closeApprovals(approvals, facts.payload.projectId, archived, clock);
      }
    },
  });
}

/** Each close is conditional on the approval's revision; a lost race is retried by the broker. */
async function closeApprovals(
  approvals: ApprovalStore,
  projectId: string,
  change: ProjectChange,
  clock: () => Date,
): Promise<void> {
  if (change.type === 'status' && change.status !== 'archived') return;
  const open = await approvals.pendingOfProject(projectId);
  const byId = new Map(open.map((approval) => [approval.id, approval]));
  for (const closing of closingsFor(change, open, clock())) {
    const stored = byId.get(closing.approval.id);
    if (stored && !(await approvals.apply(stored.revision, closing))) {
      throw new Error(`approval ${closing.approval.id} changed while it was being closed; retrying`);
    }
  }
}

type ProjectStageChange = ReturnType<typeof projectStageChanged.parse>['payload'];
