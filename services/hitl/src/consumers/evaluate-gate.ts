import type { Envelope, evaluateGateCommand } from '@delivery/contracts';
import type { z } from 'zod';
import { expire, openApproval, supersede } from '../domain/approval.js';
import { decideEvaluation } from '../domain/evaluation.js';
import { resolveGate } from '../domain/gate-resolution.js';
import type { ApprovalStore, StoredApproval } from '../store/approval-store.js';
import type { EvaluationStore, RecordedOutcome } from '../store/evaluation-store.js';
import type { GateConfigStore } from '../store/gate-config-store.js';
import type { ProjectFactsStore } from '../store/project-facts-store.js';

export type EvaluateGate = Envelope<z.output<typeof evaluateGateCommand.payload>>;

export interface EvaluateGateDeps {
  approvals: ApprovalStore;
  configs: GateConfigStore;
  projects: ProjectFactsStore;
  evaluations: EvaluationStore;
  clock: () => Date;
}

/** Rounds of "someone changed it meanwhile" before the broker retries the command later. */
const MAX_ROUNDS = 20;

/**
 * `hitl.gate.evaluate`: resolve the stage's gate, then pass, wait on the approval already open,
 * or open one (expiring and superseding what the decision says first). Every write is
 * conditional; losing a race means deciding again on what won, so concurrent and repeated
 * commands end with one approval.
 */
export async function evaluateGate(message: EvaluateGate, deps: EvaluateGateDeps): Promise<void> {
  if (await deps.evaluations.handled(message.id)) return;
  const request = message.payload;
  const known = await deps.projects.seed(request.projectId, request.project);
  // A command written before the project was archived, arriving after: nothing is to be asked
  // (restoring it asks again, as a newer generation). One written after a restore whose
  // announcement is still on its way is newer than the archive, and is asked.
  if (known?.status === 'archived' && (message.sequence ?? 0) < (known.sequence ?? 0)) return;

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = deps.clock();
    const [global, overrides, existing] = await Promise.all([
      deps.configs.getGlobal(),
      deps.configs.getOverrides(request.projectId),
      deps.approvals.atGate(request.projectId, request.stage, request.point),
    ]);
    const resolved = resolveGate(
      global.stages,
      overrides.stages,
      request.project,
      request.stage,
      overrides.adminFields,
    );
    const decision = decideEvaluation(request, resolved, existing, now);

    const closed = await Promise.all([
      ...decision.expire.map((approval) => close(deps.approvals, approval, expire(approval, now))),
      ...decision.supersede.map((approval) =>
        close(deps.approvals, approval, supersede(approval, request.generation, now)),
      ),
    ]);
    if (closed.includes(false)) continue;

    let outcome: RecordedOutcome = decision.outcome;
    if (decision.outcome.kind === 'open') {
      const asked = { ...decision.outcome, requestSequence: message.sequence ?? null };
      const opened = openApproval(request, resolved, asked, now);
      if (!(await deps.approvals.insert(opened))) continue; // opened concurrently: that one stands
      outcome = { kind: 'opened', approvalId: opened.approval.id };
    }
    const { projectId, stage, generation, point } = request;
    await deps.evaluations.record(message, { projectId, stage, generation, point }, resolved, outcome, now);
    return;
  }
  throw new Error(`the approvals of ${request.projectId} ${request.stage} kept changing; retrying later`);
}

async function close(
  approvals: ApprovalStore,
  approval: StoredApproval,
  change: ReturnType<typeof expire>,
): Promise<boolean> {
  if (!change) return true;
  return (await approvals.apply(approval.revision, change)) !== undefined;
}
