import { getJson } from '@delivery/testing';
import { projectModel } from '../src/store/project-model.js';
import { PipelineEnv } from './harness.js';

// `why` answers in one call even when the services it asks are down: their parts say so.

let env: PipelineEnv;
let api: string;

beforeAll(async () => {
  env = await PipelineEnv.create();
  ({ url: api } = await env.startApi());
});
afterAll(() => env.close());

test('marks the approval and the job unavailable when hitl and job-runner do not answer, and still explains the stage', async () => {
  const projectId = await env.project();
  // The project waits on an approval at 0_sales and has a job: both owners are unreachable here.
  await projectModel(await env.database()).updateOne(
    { _id: projectId },
    {
      $set: {
        'stages.0_sales.status': 'awaiting_approval',
        'stages.0_sales.gatePoint': 'before',
        'stages.0_sales.approvalId': 'approval-1',
        'stages.0_sales.jobId': 'job-1',
        'stages.0_sales.blockedReasons': [
          {
            code: 'approval_pending',
            message: 'Waiting for an approver',
            whoCanAct: ['approver'],
            action: 'approve',
          },
        ],
      },
    },
  );
  const why = await getJson(`${api}/projects/${projectId}/why`);
  expect(why.status).toBe(200);
  expect(why.body).toMatchObject({
    stage: '0_sales',
    stageStatus: 'awaiting_approval',
    summary: '0_sales is awaiting_approval: Waiting for an approver',
    blockedReasons: [{ code: 'approval_pending', whoCanAct: ['approver'] }],
    approval: { unavailable: true, service: 'hitl' },
    job: { unavailable: true, service: 'job-runner' },
  });
});

test('answers 404 for an unknown project and 400 for a malformed id', async () => {
  expect((await getJson(`${api}/projects/00000000-0000-4000-8000-000000000000/why`)).status).toBe(404);
  const malformed = await getJson(`${api}/projects/nope/why`);
  expect(malformed.status).toBe(400);
  expect(malformed.body.issues[0].path).toBe('id');
});
