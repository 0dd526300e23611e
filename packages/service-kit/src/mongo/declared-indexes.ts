import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';

// biome-ignore lint/suspicious/noExplicitAny: indexes are declared on models of any document type
export type AnyModel = Model<any, any, any, any>;

/** One index as its schema declares it: the key (field order matters) and its options. */
export type DeclaredIndex = [key: Record<string, unknown>, options: Record<string, unknown>];

export interface CollectionIndexes {
  collection: string;
  indexes: DeclaredIndex[];
}

/**
 * The indexes the code declares, per collection, in a canonical order: collections by name,
 * each one's indexes by their JSON, option names sorted. Declaring the same indexes in another
 * order, or the models in another order, gives the same list (and fingerprint); the fields of a
 * compound key keep their order, since that is what the index is.
 */
export function declaredIndexes(models: readonly AnyModel[]): CollectionIndexes[] {
  return models
    .map((model) => ({
      collection: model.collection.collectionName,
      indexes: (model.schema.indexes() as DeclaredIndex[])
        .map(([key, options]): DeclaredIndex => [key, sortedKeys(options ?? {})])
        .sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b))),
    }))
    .sort((a, b) => compare(a.collection, b.collection));
}

/** sha256 of the canonical declaration: what `migrate` records and MONGO_INDEXES=require compares. */
export function indexFingerprint(declared: readonly CollectionIndexes[]): string {
  return createHash('sha256').update(JSON.stringify(declared)).digest('hex');
}

function sortedKeys(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).sort(([a], [b]) => compare(a, b)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
