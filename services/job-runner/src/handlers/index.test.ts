import { JOB_KINDS } from '@delivery/contracts';
import { loopbackEgress } from './fixtures/egress.js';
import { contextFor } from './fixtures/job.js';
import { createStageHandlers } from './index.js';
import { jobKinds } from './job-kinds.js';

describe('createStageHandlers', () => {
  it('registers a handler for every job kind', () => {
    expect(
      Object.keys(createStageHandlers({ egress: loopbackEgress(), executorEgress: loopbackEgress() })).sort(),
    ).toEqual([...JOB_KINDS].sort());
  });

  it('has a declaration (payload schema, resume input, secrets) for every job kind', () => {
    expect(Object.keys(jobKinds).sort()).toEqual([...JOB_KINDS].sort());
  });

  it('noop echoes its payload', async () => {
    const { noop } = createStageHandlers({ egress: loopbackEgress(), executorEgress: loopbackEgress() });
    await expect(noop(contextFor('noop', { n: 1, nested: { ok: true } }))).resolves.toEqual({
      outcome: 'success',
      result: { echoed: { n: 1, nested: { ok: true } } },
    });
  });
});
