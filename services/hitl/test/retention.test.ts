import { sweepRetention } from '@delivery/service-kit';
import { testKeys, uniqueName } from '@delivery/testing';
import mongoose, { type Connection } from 'mongoose';
import { configSchema } from '../src/config.js';
import { approvalModel } from '../src/store/approval-model.js';
import { gateConfigModel, gateOverridesModel } from '../src/store/config-models.js';
import { evaluationModel } from '../src/store/evaluation-model.js';
import { type HitlRetentionModels, hitlRetention } from '../src/store/retention.js';

/** Audit and evaluation retention against the real (embedded) database, at a fixed "now". */
let connection: Connection;
let models: HitlRetentionModels;
const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

beforeAll(async () => {
  connection = await mongoose
    .createConnection(process.env.MONGO_URL as string, { dbName: uniqueName('hitl-retention') })
    .asPromise();
  models = {
    approvals: approvalModel(connection),
    gateConfig: gateConfigModel(connection),
    gateOverrides: gateOverridesModel(connection),
    evaluations: evaluationModel(connection),
  };
  await Promise.all(Object.values(models).map((model) => model.init()));
});
beforeEach(async () => {
  await Promise.all(Object.values(models).map((model) => model.collection.deleteMany({})));
  // Raw documents with only what the sweep reads; `attempt` differs so the unique index holds.
  await models.approvals.collection.insertMany([
    { _id: 'a-1', attempt: 1, status: 'granted', audit: [record('a1-old', 400), record('a1-new', 10)] },
    { _id: 'a-2', attempt: 2, status: 'pending', audit: [record('a2-new', 1)] },
  ] as never[]);
  await models.gateConfig.collection.insertOne({
    _id: 'global',
    audit: [record('g-old', 500), record('g-new', 100)],
  } as never);
  await models.gateOverrides.collection.insertOne({ _id: 'p-1', audit: [record('o-old', 366)] } as never);
  await models.evaluations.collection.insertMany([
    { _id: 'e-old', evaluatedAt: daysAgo(91), outbox: [] },
    { _id: 'e-new', evaluatedAt: daysAgo(89), outbox: [] },
    { _id: 'e-unrelayed', evaluatedAt: daysAgo(200), outbox: [{ destination: 'event' }] },
  ] as never[]);
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const record = (id: string, ageDays: number) => ({ id, at: daysAgo(ageDays), action: 'approval.requested' });

async function auditIds(): Promise<Record<string, string[]>> {
  const ids = async (model: { collection: HitlRetentionModels['approvals']['collection'] }) => {
    const found = await model.collection.find({}).sort({ _id: 1 }).toArray();
    return found.flatMap((document) => (document.audit as { id: string }[]).map((entry) => entry.id));
  };
  return {
    approvals: await ids(models.approvals),
    gateConfig: await ids(models.gateConfig),
    gateOverrides: await ids(models.gateOverrides),
  };
}

async function evaluationIds(): Promise<string[]> {
  const found = await models.evaluations.collection.find({}).sort({ _id: 1 }).toArray();
  return found.map((document) => String(document._id));
}

test('audit records older than the retention are gone after the sweep, newer ones and their approvals stay', async () => {
  const removed = await sweepRetention(hitlRetention(models, { auditDays: 365, evaluationDays: 0 }), now);

  expect(removed).toEqual({ 'approval audit': 1, 'gate config audit': 1, 'gate override audit': 1 });
  expect(await auditIds()).toEqual({
    approvals: ['a1-new', 'a2-new'],
    gateConfig: ['g-new'],
    gateOverrides: [],
  });
  expect(await models.approvals.countDocuments()).toBe(2);
  expect(await models.gateOverrides.countDocuments()).toBe(1);
  expect(await evaluationIds()).toEqual(['e-new', 'e-old', 'e-unrelayed']);
});

test('evaluations older than the retention are deleted once relayed; newer ones stay', async () => {
  const removed = await sweepRetention(hitlRetention(models, { auditDays: 0, evaluationDays: 90 }), now);

  expect(removed).toEqual({ 'gate evaluations': 1 });
  expect(await evaluationIds()).toEqual(['e-new', 'e-unrelayed']);
  expect((await auditIds()).approvals).toEqual(['a1-old', 'a1-new', 'a2-new']);
});

test('retentions of 0 keep everything', async () => {
  expect(await sweepRetention(hitlRetention(models, { auditDays: 0, evaluationDays: 0 }), now)).toEqual({});
  expect(await auditIds()).toEqual({
    approvals: ['a1-old', 'a1-new', 'a2-new'],
    gateConfig: ['g-old', 'g-new'],
    gateOverrides: ['o-old'],
  });
  expect(await evaluationIds()).toEqual(['e-new', 'e-old', 'e-unrelayed']);
});

test('the retentions default to a year of audit and 90 days of evaluations; 0 is forever; negative is refused', () => {
  const env = {
    MONGO_URL: 'mongodb://127.0.0.1',
    AMQP_URL: 'amqp://127.0.0.1',
    IDENTITY_PUBLIC_KEYS: testKeys.publicKeysJson(),
  };
  expect(configSchema.parse(env)).toMatchObject({ AUDIT_RETENTION_DAYS: 365, EVALUATION_RETENTION_DAYS: 90 });
  expect(configSchema.parse({ ...env, AUDIT_RETENTION_DAYS: '0' }).AUDIT_RETENTION_DAYS).toBe(0);
  expect(configSchema.safeParse({ ...env, EVALUATION_RETENTION_DAYS: '-3' }).success).toBe(false);
});
