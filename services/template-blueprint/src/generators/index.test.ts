import { createEgressClient, createEgressPolicy } from '@delivery/service-kit/egress';
import { createGenerators } from './index.js';

describe('createGenerators', () => {
  it('always has rules, and llm only when configured', () => {
    expect(Object.keys(createGenerators())).toEqual(['rules']);
    const egress = createEgressClient({ policy: createEgressPolicy({}), maxBodyBytes: 1_024 });
    const both = createGenerators({
      llm: { baseUrl: 'http://127.0.0.1:1', model: 'm', timeoutMs: 1_000, egress },
    });
    expect(Object.keys(both)).toEqual(['rules', 'llm']);
    expect(both.llm?.name).toBe('llm');
  });
});
