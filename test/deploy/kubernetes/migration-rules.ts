import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@delivery/service-kit/config';
import type { IdentityKeys } from '@delivery/service-kit/identity';
import type { KubeObject } from './kustomize.js';
import { deploymentsOf, type Job, jobsOf, ofKind, type ServiceAccount } from './manifests.js';
import { podEnvironment } from './pod-environment.js';
import { MIGRATIONS, type MigrationSpec, migrationNamed, processNamed, secretOf } from './processes.js';
import { PART_OF, READ_ELSEWHERE, resourceProblems, securityProblems } from './rules.js';
import type { SecretCatalog } from './secret-catalog.js';

/*
 * The migrations as an SRE reviews them, like rules.ts: functions of the rendered objects that
 * return what is wrong. Every service with a database has its migration Job, which runs its
 * service's migrate entry from the same image as its Deployments, hardened like them, with an
 * environment its migration's config parses; and every Deployment requires the migrated indexes
 * (MONGO_INDEXES=require) instead of building them.
 */

const MIGRATE_COMMAND = ['node', 'dist/migrate.js'];

function jobProblems(job: Job, spec: MigrationSpec, objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const pod = job.spec.template.spec;
  const [container, ...others] = pod.containers;
  if (!container || others.length > 0 || (pod.initContainers ?? []).length > 0) {
    return ['one container expected, no init containers'];
  }
  const labels = job.spec.template.metadata.labels ?? {};
  if (
    labels['app.kubernetes.io/component'] !== 'migration' ||
    labels['app.kubernetes.io/part-of'] !== PART_OF
  )
    problems.push('its pods are not labelled as the system’s migration');
  const command = [...(container.command ?? []), ...(container.args ?? [])];
  if (JSON.stringify(command) !== JSON.stringify(MIGRATE_COMMAND))
    problems.push(`runs ${command.join(' ') || "its image's CMD"}, not ${MIGRATE_COMMAND.join(' ')}`);
  // The migration must be of the code about to roll out: the same image, tag and all.
  const deployment = deploymentsOf(objects).find((candidate) => candidate.metadata.name === spec.image);
  const deployed = deployment?.spec.template.spec.containers[0]?.image;
  if (container.image !== deployed)
    problems.push(`image ${container.image}, not its Deployment's ${deployed ?? '(none)'}`);
  if (pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure')
    problems.push(`restartPolicy ${pod.restartPolicy}: a Job's pod must stop`);
  if (job.spec.backoffLimit === undefined || job.spec.backoffLimit > 5)
    problems.push(`backoffLimit ${job.spec.backoffLimit}: a broken migration retried without end`);
  if (job.spec.ttlSecondsAfterFinished === undefined)
    problems.push('no ttlSecondsAfterFinished: finished Jobs pile up and block the next release’s');
  if (job.spec.activeDeadlineSeconds === undefined) problems.push('no activeDeadlineSeconds');
  problems.push(...securityProblems(job, container), ...resourceProblems(container));
  if (pod.automountServiceAccountToken !== false) problems.push('its pods get a service account token');
  const account = ofKind<'ServiceAccount', ServiceAccount>(objects, 'ServiceAccount').find(
    (candidate) => candidate.metadata.name === pod.serviceAccountName,
  );
  if (processNamed(pod.serviceAccountName ?? '')?.service !== spec.service || !account)
    problems.push(`ServiceAccount ${pod.serviceAccountName} is not one of ${spec.service}'s`);
  if (container.envFrom) problems.push('envFrom would turn every key of a Secret into a variable');
  const mongo = container.env?.find((variable) => variable.name === 'MONGO_URL')?.valueFrom?.secretKeyRef;
  if (mongo?.name !== secretOf(spec.service) || mongo.key !== 'MONGO_URL')
    problems.push(`MONGO_URL is not its service's own (${secretOf(spec.service)})`);
  return problems;
}

/** The environment of a Job's pod, parsed by its migration's config: complete, and nothing unread. */
function environmentProblems(
  job: Job,
  spec: MigrationSpec,
  catalog: SecretCatalog,
  keys: IdentityKeys,
): string[] {
  const container = job.spec.template.spec.containers[0];
  if (!container) return [];
  const known = new Set(Object.keys(spec.config.shape));
  const problems = (container.env ?? [])
    .filter(({ name }) => !known.has(name) && !READ_ELSEWHERE.test(name))
    .map(({ name }) => `${name} is read by nothing`);
  const root = mkdtempSync(join(tmpdir(), 'k8s-job-'));
  try {
    const pod = podEnvironment(job, container, { catalog, keys, root, withOptionalKeys: false });
    const result = parseConfig(spec.config, pod.env);
    problems.push(...pod.problems, ...(result.ok ? [] : result.problems));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return problems;
}

/** One migration Job per service with a database, and no Job that is none of them. */
export function migrationJobProblems(
  objects: readonly KubeObject[],
  catalog: SecretCatalog,
  keys: IdentityKeys,
): string[] {
  const jobs = jobsOf(objects);
  return [
    ...MIGRATIONS.flatMap((spec) => {
      const job = jobs.find((candidate) => candidate.metadata.name === spec.job);
      if (!job) return [`${spec.service}: no migration Job ${spec.job}`];
      return [...jobProblems(job, spec, objects), ...environmentProblems(job, spec, catalog, keys)].map(
        (problem) => `${spec.job}: ${problem}`,
      );
    }),
    ...jobs
      .filter((job) => !migrationNamed(job.metadata.name))
      .map((job) => `${job.metadata.name}: a Job of no migration`),
  ];
}

/**
 * Every Deployment leaves its indexes to its service's migration Job: MONGO_INDEXES=require (so
 * a rollout of replicas builds nothing, and starts only on a migrated database), and that Job
 * is there.
 */
export function indexModeProblems(objects: readonly KubeObject[]): string[] {
  const jobs = new Set(jobsOf(objects).map((job) => job.metadata.name));
  return deploymentsOf(objects).flatMap((deployment) => {
    const process = processNamed(deployment.metadata.name);
    if (!process) return [];
    const problems: string[] = [];
    const mode = deployment.spec.template.spec.containers[0]?.env?.find(
      (variable) => variable.name === 'MONGO_INDEXES',
    )?.value;
    if (mode !== 'require')
      problems.push(`MONGO_INDEXES is ${mode ?? 'unset (build)'}: every replica builds indexes at start`);
    const job = MIGRATIONS.find((spec) => spec.service === process.service)?.job;
    if (!job || !jobs.has(job)) problems.push(`no migration Job of ${process.service} runs before it`);
    return problems.map((problem) => `${process.name}: ${problem}`);
  });
}
