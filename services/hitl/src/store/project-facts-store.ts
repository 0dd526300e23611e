import { type Envelope, isStale, type ProjectFacts } from '@delivery/contracts';
import { CHANGED_MEANWHILE, compareAndSwap } from '@delivery/service-kit';
import { isDuplicateKey } from './approval-store.js';
import type { ProjectFactsDocument, ProjectFactsModel } from './project-facts-model.js';

export type KnownProject = Pick<
  ProjectFactsDocument,
  'requireManualReview' | 'deliveryManagerId' | 'name' | 'status' | 'sequence'
>;

/** hitl's projection of the pipeline's projects (it never reads the pipeline's database). */
export class ProjectFactsStore {
  constructor(
    private readonly model: ProjectFactsModel,
    private readonly clock: () => Date,
  ) {}

  async get(projectId: string): Promise<KnownProject | undefined> {
    return (await this.model.findById(projectId).lean<ProjectFactsDocument>()) ?? undefined;
  }

  /**
   * Applies a project event unless the projection already reflects it or something newer
   * (by the event's per-project sequence). Returns whether it changed anything.
   */
  async applyEvent(event: Envelope<ProjectFacts>): Promise<boolean> {
    const { projectId, name, requireManualReview, deliveryManagerId, status } = event.payload;
    return compareAndSwap(`the facts of project ${projectId}`, async () => {
      const current = await this.model.findById(projectId).lean<ProjectFactsDocument>();
      if (current && isStale(current.sequence ?? undefined, event)) return false;
      const facts = { name, requireManualReview, deliveryManagerId, status, updatedAt: this.clock() };
      const sequence = event.sequence ?? current?.sequence ?? null;
      if (!current) {
        try {
          await this.model.collection.insertOne({ _id: projectId, ...facts, sequence } as never);
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return CHANGED_MEANWHILE; // created meanwhile: look again
          throw error;
        }
      }
      const updated = await this.model.updateOne(
        { _id: projectId, sequence: current.sequence },
        { $set: { ...facts, sequence } },
      );
      return updated.modifiedCount === 1 ? true : CHANGED_MEANWHILE;
    });
  }

  /**
   * The facts an evaluate command carries, kept when no event has told us about the project yet:
   * they are the pipeline's view when it asked, and events (ordered) win from then on. Returns
   * what is known of the project afterwards (one round trip on the evaluate path).
   */
  async seed(
    projectId: string,
    facts: Pick<ProjectFacts, 'requireManualReview' | 'deliveryManagerId'>,
  ): Promise<KnownProject | undefined> {
    const known = await this.model
      .findOneAndUpdate(
        { _id: projectId },
        { $setOnInsert: { ...facts, name: null, sequence: null, updatedAt: this.clock() } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<ProjectFactsDocument>()
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
        return null; // inserted concurrently: read what won
      });
    return known ?? this.get(projectId);
  }
}
