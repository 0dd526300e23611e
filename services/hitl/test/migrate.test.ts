import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited, freePort, ready, ServiceTestEnv } from '@delivery/testing';

// hitl's own processes, as a rollout runs them: `npm run migrate` (src/migrate.ts), then the API
// with MONGO_INDEXES=require, which builds nothing and starts only on a database migrated for
// this code.

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
let env: ServiceTestEnv;

beforeAll(async () => {
  env = await ServiceTestEnv.create('hitl-migrate');
});
afterAll(async () => {
  await env?.close();
});

/** Everything a process printed (logs on stdout, errors on stderr), once it has exited. */
async function run(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => (output += chunk));
  const code = await exited(child);
  return { code, output };
}

const migrate = () => run(env.spawn(serviceDir, 'src/migrate.ts'));
const startApi = (port: number) =>
  env.spawn(serviceDir, 'src/main.ts', { PORT: port, MONGO_INDEXES: 'require', LOG_LEVEL: 'info' });

/** The database's secondary indexes, as `<collection>.<name>`. */
async function indexes(): Promise<string[]> {
  const db = await env.database();
  const names: string[] = [];
  for (const { name } of (await db.db?.listCollections().toArray()) ?? []) {
    for (const index of await db.collection(name).indexes()) {
      if (index.name !== '_id_') names.push(`${name}.${index.name}`);
    }
  }
  return names.sort();
}

test('under MONGO_INDEXES=require the API refuses an unmigrated database, builds nothing, and starts once migrated', async () => {
  const refused = await run(startApi(await freePort()));
  expect(refused.code).toBe(1);
  expect(refused.output).toMatch(/were never migrated.*run npm run migrate/);
  expect(await indexes()).toEqual([]);

  const first = await migrate();
  expect(first.code).toBe(0);
  expect(first.output.startsWith(`hitl (database ${env.mongoDb}): built 9 indexes, dropped 0;`)).toBe(true);
  expect(first.output).toMatch(/recorded [0-9a-f]{12} \(was none\)/);
  expect(first.output).toContain(
    'built stage_approvals: {"projectId":1,"stage":1,"generation":1,"point":1,"attempt":1} {"unique":true}',
  );
  const built = await indexes();
  expect(built).toEqual(
    expect.arrayContaining([
      'stage_approvals.projectId_1_stage_1_generation_1_point_1_attempt_1',
      'gate_evaluations.evaluatedAt_1',
    ]),
  );
  expect(built).toHaveLength(9);

  const second = await migrate();
  expect(second.code).toBe(0);
  expect(second.output).toMatch(/indexes already this code's \([0-9a-f]{12}\), nothing changed/);
  expect(await indexes()).toEqual(built);

  const port = await freePort();
  const api = startApi(port);
  await ready(`http://127.0.0.1:${port}`);
  api.kill('SIGTERM');
  expect(await exited(api)).toBe(0);
});

test('a database migrated by another version (another fingerprint) is refused', async () => {
  const db = await env.database();
  await db
    .collection('schema_migrations')
    .updateOne({ _id: 'indexes' as never }, { $set: { fingerprint: 'f'.repeat(64) } });
  const refused = await run(startApi(await freePort()));
  expect(refused.code).toBe(1);
  expect(refused.output).toMatch(/another version's \(recorded ffffffffffff\).*run npm run migrate/);

  const again = await migrate();
  expect(again.code).toBe(0);
  expect(again.output).toMatch(/built 0 indexes, dropped 0; recorded [0-9a-f]{12} \(was ffffffffffff\)/);
});

test('a migration that cannot reach its database fails with a non-zero exit', async () => {
  const failed = await run(
    env.spawn(serviceDir, 'src/migrate.ts', { MONGO_URL: `mongodb://127.0.0.1:${await freePort()}` }),
  );
  expect(failed.code).toBe(1);
  expect(failed.output).toContain(`hitl (database ${env.mongoDb}): migration failed: `);
});
