import { fillPath, publicPathOf } from './public-paths.js';

describe('publicPathOf', () => {
  it.each([
    ['pipeline', '/projects/:id', '/api/projects/:id'],
    ['hitl', '/approvals', '/api/approvals'],
    ['template-blueprint', '/api/templates/:id', '/api/templates/:id'],
    ['job-runner', '/dead-letters', '/api/dead-letters/job-runner'],
    ['hitl', '/dead-letters/:queue/replay', '/api/dead-letters/hitl/:queue/replay'],
    ['pipeline', '/dead-lettersx', '/api/dead-lettersx'],
  ] as const)('%s %s is served at %s', (upstream, path, expected) => {
    expect(publicPathOf(upstream, path)).toBe(expected);
  });
});

describe('fillPath', () => {
  it('fills each parameter, percent-encoded', () => {
    expect(fillPath('/projects/:id/artifacts/:fileId', { id: 'p/1', fileId: 'f 2' })).toBe(
      '/projects/p%2F1/artifacts/f%202',
    );
  });

  it('refuses a missing parameter', () => {
    expect(() => fillPath('/jobs/:id', {})).toThrow(/:id/);
  });
});
