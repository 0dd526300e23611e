import { randomUUID } from 'node:crypto';
import type { CreateTemplate, TemplateContent, UpdateTemplate } from '@delivery/contracts';
import { templatePublished } from '@delivery/contracts';
import {
  eventEntry,
  ignoreWrites,
  type OutboxEntry,
  type OutboxWritten,
  WITHOUT_OUTBOX_FIELDS,
} from '@delivery/messaging';
import {
  afterCursor,
  CHANGED_MEANWHILE,
  ConflictError,
  compareAndSwap,
  decodeCursor,
  encodeCursor,
  NotFoundError,
} from '@delivery/service-kit';
import type { QueryFilter, UpdateQuery } from 'mongoose';
import type { PublishedVersion, TemplateDocument, TemplateModel } from './template-model.js';

export type TemplateView = Omit<TemplateDocument, '_id' | 'outbox' | 'nameKey' | 'publishedVersions'> & {
  id: string;
  publishedVersions: number[];
};

export function toTemplateView(
  template: Omit<TemplateDocument, 'outbox'> & { outbox?: unknown },
): TemplateView {
  const { _id, outbox: _outbox, nameKey: _nameKey, publishedVersions, ...rest } = template;
  return { id: _id, ...rest, publishedVersions: publishedVersions.map((published) => published.version) };
}

/** Reads leave out the outbox and the relay's bookkeeping on the document. */

/** A published version (frozen) or the current draft (`draft: true`, still editable). */
export type TemplateVersion = PublishedVersion | (PublishedVersion & { draft: true });

export function versionOf(template: TemplateDocument, version: number): TemplateVersion | undefined {
  const published = template.publishedVersions.find((candidate) => candidate.version === version);
  if (published) return published;
  if (template.version !== version) return undefined;
  return {
    version,
    name: template.name,
    description: template.description,
    content: template.content,
    publishedAt: template.updatedAt,
    draft: true,
  };
}

/** The version other services use by default: the latest published, else the current draft. */
export function defaultVersion(template: TemplateDocument): number {
  return template.publishedVersions.at(-1)?.version ?? template.version;
}

export class InvalidTemplateCursorError extends Error {
  override name = 'InvalidTemplateCursorError';
}

/** Templates and their versions. Every change is one conditional update on the template. */
export class TemplateStore {
  constructor(
    private readonly model: TemplateModel,
    private readonly clock: () => Date = () => new Date(),
    private readonly written: OutboxWritten = ignoreWrites,
  ) {}

  async create(input: CreateTemplate): Promise<TemplateView> {
    const now = this.clock();
    const template: TemplateDocument = {
      _id: randomUUID(),
      name: input.name,
      nameKey: input.name.toLowerCase(),
      description: input.description ?? '',
      status: 'draft',
      version: 1,
      content: input.content,
      publishedVersions: [],
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
      outbox: [],
    };
    await this.model.collection.insertOne(template as never);
    return toTemplateView(template);
  }

  async get(id: string): Promise<TemplateDocument> {
    const template = await this.model.findById(id, WITHOUT_OUTBOX_FIELDS).lean<TemplateDocument>();
    if (!template) throw new NotFoundError(`template ${id} not found`, { id });
    return template;
  }

  async getVersion(id: string, version: number): Promise<TemplateVersion> {
    const found = versionOf(await this.get(id), version);
    if (!found) throw new NotFoundError(`template ${id} has no version ${version}`, { id, version });
    return found;
  }

  async list(search: string | undefined, limit: number, cursor?: string) {
    const query: QueryFilter<TemplateDocument> = {};
    if (search) query.nameKey = { $regex: escapeRegex(search.toLowerCase()) };
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      if (!position) throw new InvalidTemplateCursorError();
      Object.assign(query, afterCursor(position));
    }
    const found = await this.model
      .find(query, { ...WITHOUT_OUTBOX_FIELDS, content: 0, publishedVersions: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<TemplateDocument[]>();
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((template) => toTemplateView({ ...template, publishedVersions: [] })),
      nextCursor:
        found.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last._id }) : null,
    };
  }

  /**
   * A draft changes in place. A published template does not: the change becomes the next
   * version, a draft, which must be published in turn. Archived templates do not change.
   */
  update(id: string, input: UpdateTemplate): Promise<TemplateView> {
    return this.change(id, (template, now) => {
      if (template.status === 'archived') throw conflict('update', template);
      const changes = {
        ...(input.name === undefined ? {} : { name: input.name, nameKey: input.name.toLowerCase() }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.content === undefined ? {} : { content: input.content as TemplateContent }),
        updatedAt: now,
      };
      const nextVersion =
        template.status === 'published' ? { status: 'draft', version: template.version + 1 } : {};
      return { update: { $set: { ...changes, ...nextVersion } } };
    });
  }

  /** Freezes the current draft as a published version and announces it. */
  publish(id: string): Promise<TemplateView> {
    return this.change(id, (template, now) => {
      if (template.status !== 'draft') throw conflict('publish', template);
      const frozen: PublishedVersion = {
        version: template.version,
        name: template.name,
        description: template.description,
        content: template.content,
        publishedAt: now,
      };
      const announced = eventEntry(
        templatePublished.create({ templateId: id, version: template.version, name: template.name }),
      );
      return {
        update: {
          $set: { status: 'published', updatedAt: now },
          $push: { publishedVersions: frozen, outbox: announced },
        },
        announced: [announced],
      };
    });
  }

  archive(id: string): Promise<TemplateView> {
    return this.change(id, (template, now) => {
      if (template.status === 'archived') throw conflict('archive', template);
      return { update: { $set: { status: 'archived', archivedAt: now, updatedAt: now } } };
    });
  }

  /**
   * Decides a change on the template as it is (`decide` throws to refuse it) and writes it
   * conditional on the status and version it was decided on; if the template changed meanwhile,
   * decides again on its new state (bounded: ContendedError after MAX_ROUNDS).
   */
  private change(
    id: string,
    decide: (
      template: TemplateDocument,
      now: Date,
    ) => { update: UpdateQuery<TemplateDocument>; announced?: OutboxEntry[] },
  ): Promise<TemplateView> {
    return compareAndSwap(`template ${id}`, async () => {
      const template = await this.get(id);
      const { update, announced = [] } = decide(template, this.clock());
      const updated = await this.model
        .findOneAndUpdate({ _id: id, status: template.status, version: template.version }, update, {
          returnDocument: 'after',
          projection: WITHOUT_OUTBOX_FIELDS,
        })
        .lean<TemplateDocument>();
      if (!updated) return CHANGED_MEANWHILE;
      if (announced.length > 0) this.written(id, announced);
      return toTemplateView(updated);
    });
  }
}

function conflict(operation: string, template: TemplateDocument): ConflictError {
  return new ConflictError(`cannot ${operation} a template that is ${template.status}`, {
    id: template._id,
    status: template.status,
    version: template.version,
  });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
