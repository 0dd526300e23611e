import { evaluateGateCommand } from '@delivery/contracts';
import { alice, bob, projectAt, storedFile, T0 } from '../domain/decide-fixtures.js';
import { PIPELINE_ACTOR } from '../domain/stage-steps.js';
import { effectsOf } from './intent-messages.js';

const context = { publicUrl: 'http://pipeline.test', correlationId: 'corr-1', now: T0 };

describe('effectsOf: evaluate_gate', () => {
  test('the command names the people responsible for the stage, even when the pipeline asks by itself', () => {
    const project = projectAt('3_build', { status: 'awaiting_approval', gatePoint: 'after' });
    const { outbox } = effectsOf(
      [
        {
          type: 'evaluate_gate',
          stage: '3_build',
          generation: 1,
          point: 'after',
          requestedBy: PIPELINE_ACTOR,
        },
      ],
      { ...project, files: [{ ...storedFile('artifact', 'site.zip'), uploadedBy: alice }] },
      context,
    );
    expect(outbox.map((entry) => entry.routingKey)).toEqual([evaluateGateCommand.queue]);
    const payload = evaluateGateCommand.payload.parse(outbox[0]?.envelope.payload);
    expect(payload).toMatchObject({ requestedBy: PIPELINE_ACTOR, point: 'after', stage: '3_build' });
    expect(payload.responsiblePeople).toEqual([
      { id: alice.id, name: alice.name, reasons: ['uploaded_artifact'] },
      { id: bob.id, name: bob.name, reasons: ['assignee'] },
    ]);
  });
});
