import type { AnyModel } from '@delivery/service-kit';
import type { Connection } from 'mongoose';
import { enqueueRefusalModel } from './enqueue-refusals.js';
import { jobModel } from './job-model.js';

/**
 * Every model of this service (its API and its workers share them): the indexes
 * `npm run migrate` builds, and MONGO_INDEXES=require checks at start. A new model goes here.
 */
export const allModels = (connection: Connection): AnyModel[] => [
  jobModel(connection),
  enqueueRefusalModel(connection),
];
