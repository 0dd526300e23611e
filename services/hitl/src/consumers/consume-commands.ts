import { evaluateGateCommand, projectEvents } from '@delivery/contracts';
import { type Broker, UnprocessableMessageError } from '@delivery/messaging';
import { findLimitViolation, type InputLimits } from '@delivery/service-kit';
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

/** The pipeline's project events, kept as hitl's projection of the facts its gates need. */
export async function consumeProjectEvents(broker: Broker, projects: ProjectFactsStore): Promise<void> {
  await broker.consume({
    queue: PROJECT_FACTS_QUEUE,
    messages: [projectEvents.created, projectEvents.updated],
    handle: async (event) => {
      await projects.applyEvent(event);
    },
  });
}
