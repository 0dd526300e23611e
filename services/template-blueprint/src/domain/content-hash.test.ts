import { contentHash } from './content-hash.js';

const version = {
  name: 'Site',
  description: 'A site',
  content: { fields: [], artifacts: [], stages: { '3_build': { tasks: [], checks: [] } } },
};

describe('contentHash', () => {
  it('ignores key order at every level', () => {
    const reordered = {
      description: 'A site',
      content: { stages: { '3_build': { checks: [], tasks: [] } }, artifacts: [], fields: [] },
      name: 'Site',
    };
    expect(contentHash(reordered)).toBe(contentHash(version));
  });

  it('changes with the name, the description or the content', () => {
    const hashes = new Set([
      contentHash(version),
      contentHash({ ...version, name: 'Site 2' }),
      contentHash({ ...version, description: 'Another' }),
      contentHash({ ...version, content: { ...version.content, stages: {} } }),
    ]);
    expect(hashes.size).toBe(4);
    expect(contentHash(version)).toMatch(/^[0-9a-f]{64}$/);
  });
});
