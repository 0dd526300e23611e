import { getJson } from '@delivery/testing';
import { projectsClient, ZIP } from '../system/projects-client.js';
import { SYSTEM_PROCESSES, SystemEnv, type SystemUrls } from '../system/system-env.js';
import { ComposeRabbitUsers } from './rabbitmq-users.js';

// The whole system, each process connected to RabbitMQ as its service's own user from
// deploy/compose/rabbitmq-users.sh (as under docker compose), not as an administrator: the
// permissions given are enough for everything the services do, and nothing ends dead-lettered.

const SETUP_TIMEOUT_MS = 400_000;

let env: SystemEnv;
let users: ComposeRabbitUsers;
let urls: SystemUrls;

beforeAll(async () => {
  env = await SystemEnv.create();
  users = ComposeRabbitUsers.plan(env.vhost.name);
  await users.apply();
  const serviceOf = (process: string) => process.replace(/-worker$/, '') as Parameters<typeof users.urlOf>[0];
  urls = await env.start(
    Object.fromEntries(
      SYSTEM_PROCESSES.map((process) => [process, { AMQP_URL: users.urlOf(serviceOf(process)) }]),
    ),
  );
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await env?.close();
  await users?.remove();
}, SETUP_TIMEOUT_MS);

test('with its own user each, every service does its part of a project up to its test stage', async () => {
  const { publishedTemplateWithBlueprint, create, throughAssignment, untilStage, upload } =
    projectsClient(urls);
  const projectId = await create(await publishedTemplateWithBlueprint());
  await throughAssignment(projectId);
  await untilStage(projectId, '3_build', 'blocked');
  expect((await upload(projectId, 'artifacts', ZIP, 'site.zip', 'application/zip')).status).toBe(201);

  const atTest = await untilStage(projectId, '4_test', 'blocked');
  expect(atTest.stages['3_build']).toMatchObject({ status: 'succeeded', jobId: expect.any(String) });

  for (const base of [urls.pipeline, urls.hitl, urls.jobRunner, urls.blueprints]) {
    const { status, body } = await getJson(`${base}/dead-letters?limit=10`);
    expect({ base, status }).toEqual({ base, status: 200 });
    for (const report of body.queues) expect(report).toMatchObject({ count: 0, messages: [] });
  }
});
