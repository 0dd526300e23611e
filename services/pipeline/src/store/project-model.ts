import { STAGES } from '@delivery/contracts';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import { type Connection, type Model, Schema } from 'mongoose';
import type { ProjectState } from '../domain/project-state.js';

/**
 * A timeline entry: one stage transition, or one change of the project's announced facts (`fact`:
 * a new manager, manual review, archived; `from`/`to` are then the stage's unchanged status), who
 * or what caused it, and the request chain.
 */
export interface TimelineEntry {
  at: Date;
  stage: string;
  generation: number;
  from: string;
  to: string;
  trigger: string;
  actor: { kind: string; id: string; name: string } | null;
  correlationId: string;
  fact?: { field: string; before: unknown; after: unknown };
}

/**
 * One document per project: its facts, every stage's state, its timeline and its outbox, so an
 * orchestrator decision is one update conditional on `version` (see domain/project-state.ts).
 */
export type ProjectDocument = Omit<ProjectState, 'id'> & {
  _id: string;
  /** Lower-cased name, for search. */
  nameKey: string;
  timeline: TimelineEntry[];
  outbox: OutboxEntry[];
};

const projectSchema = new Schema<ProjectDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    client: { type: String, required: true },
    templateId: { type: String, required: true },
    templateVersion: { type: Number, required: true },
    deliveryManagerId: { type: String, default: null },
    requireManualReview: { type: Boolean, required: true },
    status: { type: String, enum: ['active', 'completed', 'archived'], required: true },
    currentStage: { type: String, enum: STAGES, required: true },
    // Written whole by the orchestrator and the stores; no sub-schemas needed.
    requirements: { type: Schema.Types.Mixed, default: null },
    sale: { type: Schema.Types.Mixed, default: null },
    onboarding: { type: Schema.Types.Mixed, required: true },
    assignees: { type: Schema.Types.Mixed, default: [] },
    files: { type: Schema.Types.Mixed, default: [] },
    outputs: { type: Schema.Types.Mixed, default: {} },
    stages: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true },
    seen: { type: Schema.Types.Mixed, default: {} },
    timeline: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'projects', versionKey: false, minimize: false },
);
projectSchema.index({ createdAt: -1, _id: -1 });
projectSchema.index({ currentStage: 1, status: 1 });
projectSchema.index({ client: 1 });
projectSchema.index({ deliveryManagerId: 1 });
projectSchema.index({ templateId: 1, requirements: 1 });
projectSchema.index(OUTBOX_SCAN_INDEX);

export type ProjectModel = Model<ProjectDocument>;

export function projectModel(connection: Connection): ProjectModel {
  return (
    (connection.models.Project as ProjectModel | undefined) ??
    connection.model<ProjectDocument>('Project', projectSchema)
  );
}
