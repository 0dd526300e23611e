import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { migrateConfigSchema as gatewayMigrateConfig } from '../../services/gateway/src/config.js';
import { migrateConfigSchema as hitlMigrateConfig } from '../../services/hitl/src/config.js';
import { migrateConfigSchema as jobRunnerMigrateConfig } from '../../services/job-runner/src/config.js';
import { migrateConfigSchema as pipelineMigrateConfig } from '../../services/pipeline/src/config.js';
import { migrateConfigSchema as templateBlueprintMigrateConfig } from '../../services/template-blueprint/src/config.js';
import { secretsEnv } from './compose-configs.js';
import {
  COMPOSE_SERVICES,
  type ComposeService,
  containerOf,
  environmentOf,
  serviceOf,
  systemProcesses,
} from './compose-file.js';
import { containerEnvironment, interpolate } from './compose-interpolation.js';

// The migrations under docker compose: each service's one-shot `<service>-migrate` runs its
// image's migrate entry with its own MongoDB user, and the service's processes, which leave
// their indexes to it (MONGO_INDEXES=require), start only once it completed.

const MIGRATE_CONFIGS: Record<ComposeService, z.ZodObject> = {
  gateway: gatewayMigrateConfig,
  pipeline: pipelineMigrateConfig,
  hitl: hitlMigrateConfig,
  'job-runner': jobRunnerMigrateConfig,
  'template-blueprint': templateBlueprintMigrateConfig,
};
const SERVICES = Object.keys(COMPOSE_SERVICES) as ComposeService[];

let dir: string;
let dotEnv: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-migrations-'));
  dotEnv = await secretsEnv(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(SERVICES)('%s-migrate', (service) => {
  const migration = containerOf(`${service}-migrate`);

  test("runs node dist/migrate.js from its service's image, once", () => {
    expect(migration.build).toEqual({ context: '.', target: service });
    expect(interpolate(migration.image ?? '', {})).toBe(`delivery/${service}:dev`);
    expect(migration.command).toEqual(['node', 'dist/migrate.js']);
    expect(migration.entrypoint).toBeUndefined();
    expect(migration.restart).toBe('no');
    expect(migration.depends_on).toEqual({ mongo: { condition: 'service_healthy' } });
  });

  test('runs as 10001:10001 on a read-only root filesystem, /tmp its one writable place', () => {
    expect({ user: migration.user, readOnly: migration.read_only, tmpfs: migration.tmpfs }).toEqual({
      user: '10001:10001',
      readOnly: true,
      tmpfs: ['/tmp'],
    });
  });

  test("connects as its service's processes do, and sets nothing its migration does not read", () => {
    const env = containerEnvironment(migration, dotEnv);
    const parsed = MIGRATE_CONFIGS[service].safeParse(env);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const known = Object.keys(MIGRATE_CONFIGS[service].shape);
    expect(Object.keys(env).filter((variable) => !known.includes(variable))).toEqual([]);
    const [, processContainer] = systemProcesses().find(([name]) => serviceOf(name) === service) ?? [];
    const processEnv = environmentOf(processContainer);
    expect(environmentOf(migration).MONGO_URL).toBe(processEnv.MONGO_URL);
    expect(environmentOf(migration).MONGO_DB).toBe(processEnv.MONGO_DB);
  });
});

test('every process leaves its indexes to its migration (MONGO_INDEXES=require)', () => {
  for (const [name, container] of systemProcesses()) {
    expect({ name, mode: environmentOf(container).MONGO_INDEXES }).toEqual({ name, mode: 'require' });
    expect({ name, waits: container.depends_on?.[`${serviceOf(name)}-migrate`] }).toEqual({
      name,
      waits: { condition: 'service_completed_successfully' },
    });
  }
});
