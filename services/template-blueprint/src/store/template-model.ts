import { TEMPLATE_STATUSES, type TemplateContent, type TemplateStatus } from '@delivery/contracts';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '@delivery/messaging';
import { type Connection, type Model, Schema } from 'mongoose';

/** A published version, frozen: what a blueprint of that version was generated from. */
export interface PublishedVersion {
  version: number;
  name: string;
  description: string;
  content: TemplateContent;
  publishedAt: Date;
}

/**
 * One document per template. `version`/`content` are the current version: editable while it is
 * a draft. Publishing freezes a copy into `publishedVersions`; changing a published template
 * starts the next version as a draft, so a published version never changes.
 */
export interface TemplateDocument {
  _id: string;
  name: string;
  /** Lower-cased name, for case-insensitive search. */
  nameKey: string;
  description: string;
  status: TemplateStatus;
  version: number;
  content: TemplateContent;
  publishedVersions: PublishedVersion[];
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  outbox: OutboxEntry[];
}

const templateSchema = new Schema<TemplateDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    description: { type: String, default: '' },
    status: { type: String, enum: TEMPLATE_STATUSES, required: true },
    version: { type: Number, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    // Frozen snapshots, written whole and never edited: no sub-schema needed.
    publishedVersions: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    archivedAt: { type: Date, default: null },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'templates', versionKey: false, minimize: false },
);
templateSchema.index({ createdAt: -1, _id: -1 });
templateSchema.index({ nameKey: 1 });
templateSchema.index(OUTBOX_SCAN_INDEX);

export type TemplateModel = Model<TemplateDocument>;

export function templateModel(connection: Connection): TemplateModel {
  return (
    (connection.models.Template as TemplateModel | undefined) ??
    connection.model<TemplateDocument>('Template', templateSchema)
  );
}
