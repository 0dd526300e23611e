import { blueprintRunEvents, generateBlueprintCommand } from '@delivery/contracts';
import { commandEntry, eventEntry, type OutboxEntry } from '@delivery/messaging';

/**
 * What a run's messages tell of it: the domain's own view of a run, which the stored run
 * satisfies as it is (hence `_id`, the run id under the name the store gives it).
 */
export interface RunFacts {
  _id: string;
  templateId: string;
  templateVersion: number;
  /** The generator's name, as the messages carry it. */
  generator: string;
  /** The attempt the message is about. */
  attempt: number;
  correlationId: string;
}

const ref = (run: RunFacts) => ({
  runId: run._id,
  templateId: run.templateId,
  templateVersion: run.templateVersion,
  generator: run.generator,
  attempt: run.attempt,
});
const meta = (run: Pick<RunFacts, 'correlationId'>, now: Date) => ({
  correlationId: run.correlationId,
  occurredAt: now,
});

/**
 * The outbox entries of each run transition, written in the same update as the transition and
 * always to the RUN document's outbox, so every message about one run shares its subject and
 * goes out in order.
 */
export const runOutbox = {
  generate: (run: Pick<RunFacts, '_id' | 'correlationId'>, now: Date): OutboxEntry =>
    commandEntry(
      generateBlueprintCommand.create({ runId: run._id }, meta(run, now)),
      generateBlueprintCommand.queue,
    ),
  queued: (run: RunFacts, now: Date) =>
    eventEntry(blueprintRunEvents.queued.create(ref(run), meta(run, now))),
  started: (run: RunFacts, now: Date) =>
    eventEntry(blueprintRunEvents.started.create(ref(run), meta(run, now))),
  succeeded: (run: RunFacts, durationMs: number, now: Date) =>
    eventEntry(blueprintRunEvents.succeeded.create({ ...ref(run), durationMs }, meta(run, now))),
  failed: (run: RunFacts, errorCode: string, errorMessage: string, now: Date) =>
    eventEntry(blueprintRunEvents.failed.create({ ...ref(run), errorCode, errorMessage }, meta(run, now))),
  canceled: (run: RunFacts, now: Date) =>
    eventEntry(blueprintRunEvents.canceled.create(ref(run), meta(run, now))),
};
