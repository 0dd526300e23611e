import type { AnyModel } from '@delivery/service-kit';
import type { Connection } from 'mongoose';
import { runModel } from './run-model.js';
import { templateModel } from './template-model.js';

/**
 * Every model of this service (its API and its workers share them): the indexes
 * `npm run migrate` builds, and MONGO_INDEXES=require checks at start. A new model goes here.
 */
export const allModels = (connection: Connection): AnyModel[] => [
  templateModel(connection),
  runModel(connection),
];
