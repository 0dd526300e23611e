import { type Connection, type Model, Schema } from 'mongoose';
import type { AuditRecord } from '../domain/audit.js';
import type { GlobalGateConfig, ProjectGateOverrides } from '../domain/gate-resolution.js';

/**
 * The global gate config is one document (`_id: 'global'`); each project's overrides are one
 * document (`_id`: the project id). Each keeps its change records beside it, appended in the
 * same update as the change, and a `revision` that every change is conditional on.
 */
export interface ConfigDocument<T> {
  _id: string;
  stages: T;
  revision: number;
  updatedAt: Date;
  audit: AuditRecord[];
  /** Of a project's overrides: the fields (`<stage>.<field>`) an admin set, which may loosen its gates. */
  adminFields?: string[];
}

export type GateConfigDocument = ConfigDocument<GlobalGateConfig>;
export type GateOverridesDocument = ConfigDocument<ProjectGateOverrides>;

const configSchema = <T>(collection: string) =>
  new Schema<T>(
    {
      _id: { type: String, required: true },
      stages: { type: Schema.Types.Mixed, default: {} },
      revision: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
      audit: { type: Schema.Types.Mixed, default: [] },
      adminFields: { type: [String], default: undefined },
    },
    { collection, versionKey: false, minimize: false },
  );

export type GateConfigModel = Model<GateConfigDocument>;
export type GateOverridesModel = Model<GateOverridesDocument>;

export function gateConfigModel(connection: Connection): GateConfigModel {
  return (
    (connection.models.GateConfig as GateConfigModel | undefined) ??
    connection.model<GateConfigDocument>('GateConfig', configSchema<GateConfigDocument>('gate_config'))
  );
}

export function gateOverridesModel(connection: Connection): GateOverridesModel {
  return (
    (connection.models.GateOverrides as GateOverridesModel | undefined) ??
    connection.model<GateOverridesDocument>(
      'GateOverrides',
      configSchema<GateOverridesDocument>('project_gate_overrides'),
    )
  );
}
