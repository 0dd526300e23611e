import type { Server } from 'node:http';
import {
  type Actor,
  type EvaluateGateInput,
  evaluateGateCommand,
  type ProjectFactsInput,
  projectEvents,
  projectStageChanged,
} from '@delivery/contracts';
import { Lifecycle } from '@delivery/service-kit';
import {
  createIsolatedVhost,
  type EnvOverrides,
  type JsonResponse,
  requiredEnv,
  ServiceTestEnv,
  uniqueName,
  userToken,
} from '@delivery/testing';
import pino from 'pino';
import { startApi } from '../src/api.js';
import { configSchema } from '../src/config.js';
import { type ApprovalDocument, type ApprovalModel, approvalModel } from '../src/store/approval-model.js';

export { getJson, postJson, requestJson, waitFor } from '@delivery/testing';

type ProjectStageChangedInput = Parameters<typeof projectStageChanged.create>[0];

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A clock a test moves by hand (to pass an approval's window without waiting for it). */
export class TestClock {
  private offsetMs = 0;
  readonly now = () => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A hitl environment of one test file: its vhost, its database, its API. */
export class HitlEnv extends ServiceTestEnv {
  static override async create(): Promise<HitlEnv> {
    const vhost = await createIsolatedVhost(requiredEnv('AMQP_URL'), 'hitl');
    return new HitlEnv(vhost, uniqueName('hitl'), { EXPIRY_SWEEP_INTERVAL_MS: 100 });
  }

  /** The API in this process (with the clock given); returns its base URL and the server. */
  async startApi(overrides: EnvOverrides = {}, clock?: () => Date): Promise<{ url: string; server: Server }> {
    const config = configSchema.parse(this.env(overrides));
    const lifecycle = new Lifecycle({ logger: silentLogger, drainTimeoutMs: 2_000, exit: () => undefined });
    this.onClose(() => lifecycle.shutdown('test done'));
    const server = await startApi(config, lifecycle, silentLogger, clock);
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
  }

  /** Sends `hitl.gate.evaluate` commands as the pipeline does (each its own message unless ids repeat). */
  async evaluate(...commands: (Partial<EvaluateGateInput> & { id?: string })[]): Promise<string[]> {
    const envelopes = commands.map(({ id, ...payload }) =>
      evaluateGateCommand.create({ ...sampleEvaluation(), ...payload }, id ? { id } : {}),
    );
    await this.sendRaw(evaluateGateCommand.queue, envelopes);
    return envelopes.map((envelope) => envelope.id);
  }

  /** Publishes a pipeline project event, as the pipeline's outbox relay would (subject + sequence). */
  async publishProject(facts: ProjectFactsInput, sequence: number, kind: 'created' | 'updated' = 'updated') {
    const definition = projectEvents[kind];
    await this.publishEvent(definition.routingKey, {
      ...definition.create(facts),
      subject: facts.projectId,
      sequence,
    });
  }

  /** A stage of a project changed status, as the pipeline announces it. */
  async publishStageChanged(payload: ProjectStageChangedInput, sequence: number) {
    await this.publishEvent(projectStageChanged.routingKey, {
      ...projectStageChanged.create(payload),
      subject: payload.projectId,
      sequence,
    });
  }

  async approvals(): Promise<ApprovalModel> {
    return approvalModel(await this.database());
  }

  /** The stored approvals of a project (with their audit), oldest first. */
  async approvalsOf(projectId: string): Promise<ApprovalDocument[]> {
    return (await this.approvals())
      .find({ projectId })
      .sort({ requestedAt: 1, attempt: 1 })
      .lean<ApprovalDocument[]>();
  }
}

export const PIPELINE: Actor = { kind: 'service', id: 'pipeline', name: 'pipeline' };
export const REQUESTER: Actor = { kind: 'user', id: 'dm-1', name: 'Dana Manager' };

export function sampleEvaluation(): EvaluateGateInput {
  return {
    projectId: 'project-1',
    stage: '3_build',
    generation: 1,
    point: 'before',
    requestedBy: REQUESTER,
    context: { summary: 'build of release 1.2' },
    project: { requireManualReview: false, deliveryManagerId: 'dm-1' },
  };
}

/** A gate that requires `approvalsNeeded` people with role `qa_lead` before the stage. */
export const requiredGate = (overrides: Record<string, unknown> = {}) => ({
  required: true,
  point: 'before',
  approverRoles: ['qa_lead'],
  approvalsNeeded: 1,
  expiresAfterMinutes: 60,
  allowSelfApproval: false,
  ...overrides,
});

export interface Person {
  id: string;
  name?: string;
  roles: string[];
}

/** Calls the API as a person, with a token the test gateway key signed for them. */
export function client(baseUrl: string, person: Person) {
  const call = async (method: string, path: string, body?: unknown): Promise<JsonResponse> => {
    const token = await userToken({ id: person.id, name: person.name ?? person.id, roles: person.roles });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
  };
}

export const ADMIN: Person = { id: 'admin-1', roles: ['admin'] };
export const QA_1: Person = { id: 'qa-1', name: 'Quinn', roles: ['qa_lead'] };
export const QA_2: Person = { id: 'qa-2', name: 'Robin', roles: ['qa_lead'] };
export const QA_3: Person = { id: 'qa-3', name: 'Sam', roles: ['qa_lead', 'delivery_manager'] };
/** The requester of sampleEvaluation(), who also holds the approver role. */
export const DM_1: Person = { id: 'dm-1', name: 'Dana Manager', roles: ['delivery_manager', 'qa_lead'] };
export const OUTSIDER: Person = { id: 'viewer-1', roles: ['viewer'] };
