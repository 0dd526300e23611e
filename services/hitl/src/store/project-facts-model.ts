import { type Connection, type Model, Schema } from 'mongoose';

/**
 * What hitl knows of a project, kept from the pipeline's project events (and seeded by the first
 * evaluate command): enough to decide who may change its overrides and how its gates resolve.
 * `sequence` is the last event applied, so older or repeated events change nothing.
 */
export interface ProjectFactsDocument {
  _id: string;
  name: string | null;
  requireManualReview: boolean;
  deliveryManagerId: string | null;
  /** Absent on projections from before it was kept: those projects were active. */
  status?: 'active' | 'completed' | 'archived';
  sequence: number | null;
  updatedAt: Date;
}

const projectFactsSchema = new Schema<ProjectFactsDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, default: null },
    requireManualReview: { type: Boolean, required: true },
    deliveryManagerId: { type: String, default: null },
    status: { type: String, enum: ['active', 'completed', 'archived'], default: 'active' },
    sequence: { type: Number, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'projects', versionKey: false, minimize: false },
);

export type ProjectFactsModel = Model<ProjectFactsDocument>;

export function projectFactsModel(connection: Connection): ProjectFactsModel {
  return (
    (connection.models.ProjectFacts as ProjectFactsModel | undefined) ??
    connection.model<ProjectFactsDocument>('ProjectFacts', projectFactsSchema)
  );
}
