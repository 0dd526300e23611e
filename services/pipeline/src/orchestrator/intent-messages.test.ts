import { evaluateGateCommand, PIPELINE_ACTOR, projectEvents } from '@delivery/contracts';
import { alice, bob, projectAt, storedFile, T0 } from '../domain/decide-fixtures.js';
import { effectsOf, factEffects } from './intent-messages.js';

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

describe('factEffects', () => {
  const announced = { correlationId: 'corr-2', now: T0, actor: alice, trigger: 'management_changed' };

  test('a new manager is announced with the whole set of facts and recorded before and after', () => {
    const before = projectAt('3_build', { status: 'running' });
    const { outbox, timeline } = factEffects(before, { ...before, deliveryManagerId: 'u-dana' }, announced);
    expect(outbox.map((entry) => entry.routingKey)).toEqual([projectEvents.updated.routingKey]);
    expect(outbox[0]?.envelope.payload).toMatchObject({ deliveryManagerId: 'u-dana', status: 'active' });
    expect(timeline).toEqual([
      expect.objectContaining({
        stage: '3_build',
        from: 'running',
        to: 'running',
        trigger: 'management_changed',
        actor: alice,
        fact: { field: 'deliveryManagerId', before: 'u-alice', after: 'u-dana' },
      }),
    ]);
  });

  test('completing is announced but not recorded again (6_complete succeeding says it)', () => {
    const before = projectAt('6_complete');
    const { outbox, timeline } = factEffects(before, { ...before, status: 'completed' }, announced);
    expect(outbox[0]?.envelope.payload).toMatchObject({ status: 'completed' });
    expect(timeline).toEqual([]);
  });

  test('no announced fact changed: nothing', () => {
    const project = projectAt('2_assignment');
    expect(factEffects(project, { ...project, version: 9 }, announced)).toEqual({ outbox: [], timeline: [] });
  });
});
