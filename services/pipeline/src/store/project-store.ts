import { randomUUID } from 'node:crypto';
import { projectEvents, type Stage } from '@delivery/contracts';
import { eventEntry, type OutboxWritten } from '@delivery/messaging';
import { type CursorPosition, encodeCursor, NotFoundError } from '@delivery/service-kit';
import type { QueryFilter } from 'mongoose';
import { type NewProject as DomainNewProject, newProjectState } from '../domain/new-project.js';
import { factsOf } from '../domain/project-facts.js';
import type { ProjectState } from '../domain/project-state.js';
import { fromDocument, PROJECT_STATE_FIELDS, stateFields } from './project-documents.js';
import type { ProjectDocument, ProjectModel, TimelineEntry } from './project-model.js';

/** A project to create: everything but its id, which the store gives it. */
export type NewProject = Omit<DomainNewProject, 'id'>;

export interface ProjectFilter {
  stage?: Stage;
  status?: ProjectState['status'];
  client?: string;
  deliveryManagerId?: string;
  search?: string;
}

/** Projects: creation, reads and lists. Changes after creation go through the Orchestrator. */
export class ProjectStore {
  constructor(
    private readonly model: ProjectModel,
    private readonly written: OutboxWritten,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores a new project at 0_sales and announces it (its facts, for hitl's projection). */
  async create(input: NewProject, correlationId: string): Promise<ProjectState> {
    const now = this.clock();
    const id = randomUUID();
    const project = newProjectState({ id, ...input }, now);
    const announced = eventEntry(
      projectEvents.created.create(factsOf(project), { correlationId, occurredAt: now }),
    );
    const document: ProjectDocument = { _id: id, ...stateFields(project), timeline: [], outbox: [announced] };
    await this.model.collection.insertOne(document as never);
    this.written(id, [announced]);
    return project;
  }

  async get(id: string): Promise<ProjectState> {
    const found = await this.model.findById(id, PROJECT_STATE_FIELDS).lean<ProjectDocument>();
    if (!found) throw new NotFoundError(`project ${id} not found`, { id });
    return fromDocument(found);
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const found = await this.model.findById(id, { timeline: 1 }).lean<Pick<ProjectDocument, 'timeline'>>();
    if (!found) throw new NotFoundError(`project ${id} not found`, { id });
    return found.timeline;
  }

  async list(filter: ProjectFilter, limit: number, after?: CursorPosition) {
    const query: QueryFilter<ProjectDocument> = {
      ...(filter.stage ? { currentStage: filter.stage } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.client ? { client: filter.client } : {}),
      ...(filter.deliveryManagerId ? { deliveryManagerId: filter.deliveryManagerId } : {}),
      ...(filter.search ? { nameKey: { $regex: escapeRegex(filter.search.toLowerCase()) } } : {}),
      ...(after
        ? {
            $or: [
              { createdAt: { $lt: after.createdAt } },
              { createdAt: after.createdAt, _id: { $lt: after.id } },
            ],
          }
        : {}),
    };
    const found = await this.model
      .find(query, { ...PROJECT_STATE_FIELDS, onboarding: 0, outputs: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<ProjectDocument[]>();
    const items = found.slice(0, limit).map((document) => summaryOf(fromDocument(document)));
    const last = found[Math.min(found.length, limit) - 1];
    return {
      items,
      nextCursor:
        found.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last._id }) : null,
    };
  }

  /** Projects of a template still waiting for its blueprint (their onboarding needs it). */
  async waitingForBlueprint(templateId: string, templateVersion: number): Promise<string[]> {
    const found = await this.model
      .find({ templateId, templateVersion, requirements: null, status: 'active' }, { _id: 1 })
      .lean<Pick<ProjectDocument, '_id'>[]>();
    return found.map((project) => project._id);
  }

  /** How many active projects each person is assigned to (auto-assignment picks the least loaded). */
  async assignmentLoad(): Promise<Record<string, number>> {
    const found = await this.model
      .find({ status: 'active' }, { assignees: 1 })
      .lean<Pick<ProjectDocument, 'assignees'>[]>();
    const load: Record<string, number> = {};
    for (const project of found)
      for (const assignee of project.assignees) load[assignee.id] = (load[assignee.id] ?? 0) + 1;
    return load;
  }
}

/** What a list shows of a project: its facts and where it stands, not its answers or outputs. */
export function summaryOf(project: ProjectState) {
  const stage = project.stages[project.currentStage];
  return {
    id: project.id,
    name: project.name,
    client: project.client,
    templateId: project.templateId,
    templateVersion: project.templateVersion,
    deliveryManagerId: project.deliveryManagerId,
    status: project.status,
    currentStage: project.currentStage,
    stageStatus: stage.status,
    generation: stage.generation,
    reason: stage.blockedReasons[0]?.message ?? stage.note ?? null,
    assignees: project.assignees.map(({ id, name }) => ({ id, name })),
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
