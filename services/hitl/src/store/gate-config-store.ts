import type { Actor } from '@delivery/contracts';
import { CHANGED_MEANWHILE, ConflictError, compareAndSwap } from '@delivery/service-kit';
import type { Model } from 'mongoose';
import type { AuditRecord } from '../domain/audit.js';
import {
  type ConfigChange,
  changeGlobalConfig,
  changeOverrides,
  type GlobalConfigChange,
  type OverrideRefusal,
  type OverrideRules,
  type OverridesChange,
} from '../domain/gate-config-change.js';
import type { GlobalGateConfig, ProjectGateOverrides } from '../domain/gate-resolution.js';
import type { ConfigDocument, GateConfigModel, GateOverridesModel } from './config-models.js';

const GLOBAL_ID = 'global';

export interface ConfigView<T> {
  stages: T;
  /** Pass it back as `expectedRevision` to change only what you read. */
  revision: number;
  updatedAt: Date | null;
  /** Of a project's overrides: the fields an admin set (see resolveGate). */
  adminFields: string[];
}

// Both collections hold the same shape of document; only what `stages` holds differs.
// biome-ignore lint/suspicious/noExplicitAny: see above
type ConfigModel = Model<ConfigDocument<any>>;

/** The global gate config and the projects' overrides: reads, and audited conditional writes. */
export class GateConfigStore {
  constructor(
    private readonly global: GateConfigModel,
    private readonly overrides: GateOverridesModel,
    private readonly clock: () => Date,
  ) {}

  getGlobal(): Promise<ConfigView<GlobalGateConfig>> {
    return read<GlobalGateConfig>(this.global, GLOBAL_ID);
  }

  getOverrides(projectId: string): Promise<ConfigView<ProjectGateOverrides>> {
    return read<ProjectGateOverrides>(this.overrides, projectId);
  }

  setGlobal(change: GlobalConfigChange, actor: Actor, expectedRevision?: number) {
    return write<GlobalGateConfig>(this.global, GLOBAL_ID, expectedRevision, this.clock(), (current, now) =>
      changeGlobalConfig(current, change, actor, now),
    );
  }

  /**
   * Judged against the global config as read here: an admin who changes it meanwhile changes the
   * baseline as they could have a moment later, and overrides are not re-judged when it changes.
   */
  async setOverrides(
    projectId: string,
    change: OverridesChange,
    rules: Omit<OverrideRules, 'global'>,
    actor: Actor,
    expectedRevision?: number,
  ): Promise<ConfigView<ProjectGateOverrides> | OverrideRefusal> {
    const global = (await this.getGlobal()).stages;
    return write<ProjectGateOverrides, OverrideRefusal>(
      this.overrides,
      projectId,
      expectedRevision,
      this.clock(),
      (current, now, adminFields) =>
        changeOverrides(
          projectId,
          { stages: current, adminFields },
          change,
          { ...rules, global },
          actor,
          now,
        ),
    );
  }

  async globalAudit(): Promise<AuditRecord[]> {
    const found = await this.global.findById(GLOBAL_ID, { audit: 1 }).lean<{ audit: AuditRecord[] }>();
    return found?.audit ?? [];
  }

  async overridesAudit(projectId: string): Promise<AuditRecord[]> {
    const found = await this.overrides.findById(projectId, { audit: 1 }).lean<{ audit: AuditRecord[] }>();
    return found?.audit ?? [];
  }
}

async function read<T>(model: ConfigModel, id: string): Promise<ConfigView<T>> {
  const found = await model
    .findById(id, { audit: 0 })
    .lean<{ stages: T; revision: number; updatedAt: Date; adminFields?: string[] }>();
  return found
    ? {
        stages: found.stages,
        revision: found.revision,
        updatedAt: found.updatedAt,
        adminFields: found.adminFields ?? [],
      }
    : { stages: {} as T, revision: 0, updatedAt: null, adminFields: [] };
}

/**
 * Decides the change on the current document and writes it with its audit record, conditional on
 * the revision it was decided on. A caller that named the revision it read gets a 409 when
 * someone changed it since; without one, a concurrent change just means deciding again (bounded:
 * ContendedError after MAX_ROUNDS). A
 * refused change writes nothing and is returned as it is.
 */
async function write<T, R extends { refused: string } = never>(
  model: ConfigModel,
  id: string,
  expectedRevision: number | undefined,
  now: Date,
  decide: (current: T, now: Date, adminFields: string[]) => ConfigChange<T> | R,
): Promise<ConfigView<T> | R> {
  return compareAndSwap(`the gate config ${id}`, async () => {
    const current = await read<T>(model, id);
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw new ConflictError('the config changed since you read it', {
        expectedRevision,
        revision: current.revision,
      });
    }
    const outcome = decide(current.stages, now, current.adminFields);
    if ('refused' in outcome) return outcome;
    const { next, audit, adminFields } = outcome;
    if (audit.length === 0) return current;
    const filter =
      current.revision === 0
        ? { _id: id, revision: { $exists: false } }
        : { _id: id, revision: current.revision };
    const updated = await model
      .findOneAndUpdate(
        filter,
        {
          $set: { stages: next, updatedAt: now, ...(adminFields ? { adminFields } : {}) },
          $inc: { revision: 1 },
          $push: { audit: { $each: audit } },
        },
        { returnDocument: 'after', upsert: current.revision === 0, projection: { audit: 0 } },
      )
      .lean<{ stages: T; revision: number; updatedAt: Date; adminFields?: string[] }>()
      .catch((error: unknown) => {
        // Two first writes raced to create the document: the loser decides again.
        if ((error as { code?: unknown }).code === 11000) return null;
        throw error;
      });
    if (!updated) return CHANGED_MEANWHILE;
    const { stages, revision, updatedAt } = updated;
    return { stages, revision, updatedAt, adminFields: updated.adminFields ?? [] };
  });
}
