import { JOB_KINDS } from '@delivery/contracts';
import { contextFor } from './fixtures/job.js';
import { createStageHandlers } from './index.js';

describe('createStageHandlers', () => {
  it('registers a handler for every job kind', () => {
    expect(Object.keys(createStageHandlers()).sort()).toEqual([...JOB_KINDS].sort());
  });

  it('noop echoes its payload', async () => {
    const { noop } = createStageHandlers();
    await expect(noop(contextFor('noop', { n: 1, nested: { ok: true } }))).resolves.toEqual({
      outcome: 'success',
      result: { echoed: { n: 1, nested: { ok: true } } },
    });
  });
});
