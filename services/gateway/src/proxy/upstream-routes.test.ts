import { upstreamFor } from './upstream-routes.js';

test.each([
  ['/templates', 'template-blueprint', '/api/templates'],
  ['/templates/t1/blueprint/generate', 'template-blueprint', '/api/templates/t1/blueprint/generate'],
  ['/templates/t1/generate-blueprint', 'template-blueprint', '/api/templates/t1/generate-blueprint'],
  ['/templates/t1/blueprint/status', 'template-blueprint', '/api/templates/t1/blueprint/status'],
  ['/templates/t1/blueprint/runs', 'template-blueprint', '/api/templates/t1/blueprint/runs'],
  ['/templates/t1/blueprint-job', 'template-blueprint', '/api/templates/t1/blueprint-job'],
  ['/blueprint-runs/r1', 'template-blueprint', '/api/blueprint-runs/r1'],
  ['/projects', 'pipeline', '/projects'],
  ['/projects/p1/why', 'pipeline', '/projects/p1/why'],
  ['/projects/p1/artifacts/f1', 'pipeline', '/projects/p1/artifacts/f1'],
  ['/projects/p1/approvals', 'hitl', '/projects/p1/approvals'],
  ['/projects/p1/audit', 'hitl', '/projects/p1/audit'],
  ['/projects/p1/gate-overrides', 'hitl', '/projects/p1/gate-overrides'],
  ['/approvals/a1/approve', 'hitl', '/approvals/a1/approve'],
  ['/gates/config', 'hitl', '/gates/config'],
  ['/jobs/stats', 'job-runner', '/jobs/stats'],
  ['/jobs/j1/retry', 'job-runner', '/jobs/j1/retry'],
  ['/dead-letters/job-runner', 'job-runner', '/dead-letters'],
  ['/dead-letters/hitl/hitl.gate.evaluate.dlq/replay', 'hitl', '/dead-letters/hitl.gate.evaluate.dlq/replay'],
])('%s → %s %s', (apiPath, upstream, path) => {
  expect(upstreamFor(apiPath)).toEqual({ upstream, path });
});

test.each([
  '/',
  '/projectsx',
  '/templatesx/1',
  '/dead-letters',
  '/dead-letters/nobody',
  '/healthz',
  '/jobsx',
])('%s is no service’s', (apiPath) => {
  expect(upstreamFor(apiPath)).toBeUndefined();
});
