import { type Envelope, hitlEvents } from '@delivery/contracts';
import { eventEntry, type OutboxWritten } from '@delivery/messaging';
import type { EvaluationOutcome } from '../domain/evaluation.js';
import type { ResolvedGate } from '../domain/gate-resolution.js';
import { isDuplicateKey } from './approval-store.js';
import type { EvaluationDocument, EvaluationModel } from './evaluation-model.js';

export interface EvaluatedRequest {
  projectId: string;
  stage: EvaluationDocument['stage'];
  generation: number;
  point: EvaluationDocument['point'];
}

export type RecordedOutcome = EvaluationDocument['outcome'];

/** The record of each evaluate command handled, and the `gate.passed` answers it carries. */
export class EvaluationStore {
  constructor(
    private readonly model: EvaluationModel,
    private readonly written: OutboxWritten,
  ) {}

  async handled(commandId: string): Promise<boolean> {
    return (await this.model.exists({ _id: commandId })) !== null;
  }

  /**
   * Records how command `command` was answered; a `pass` goes out as `hitl.gate.passed.v1` from
   * this record's outbox. A second record of the same command (a redelivery racing the first)
   * is dropped, with its event.
   */
  async record(
    command: Pick<Envelope, 'id' | 'correlationId'>,
    request: EvaluatedRequest,
    resolved: ResolvedGate,
    outcome: RecordedOutcome,
    now: Date,
  ): Promise<void> {
    const entries = outcome.kind === 'pass' ? [eventEntry(passedEvent(command, request, outcome, now))] : [];
    const document: EvaluationDocument = {
      _id: command.id,
      ...request,
      decidedBy: resolved.decidedBy,
      outcome,
      correlationId: command.correlationId,
      evaluatedAt: now,
      outbox: entries,
    };
    try {
      await this.model.collection.insertOne(document as never);
    } catch (error) {
      if (isDuplicateKey(error)) return;
      throw error;
    }
    this.written(command.id, entries);
  }
}

function passedEvent(
  command: Pick<Envelope, 'correlationId'>,
  request: EvaluatedRequest,
  outcome: Extract<EvaluationOutcome, { kind: 'pass' }>,
  now: Date,
) {
  return hitlEvents.gatePassed.create(
    { ...request, reason: outcome.reason, approvalId: outcome.approvalId },
    { occurredAt: now, correlationId: command.correlationId },
  );
}
