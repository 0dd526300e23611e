import type { AnyModel } from '@delivery/service-kit';
import type { Connection } from 'mongoose';
import { bucketModels } from '../artifacts/bucket-models.js';
import { projectModel } from './project-model.js';

/**
 * Every model of this service, the artifacts' GridFS bucket among them: the indexes
 * `npm run migrate` builds, and MONGO_INDEXES=require checks at start. A new model goes here.
 */
export const allModels = (connection: Connection): AnyModel[] => [
  projectModel(connection),
  ...bucketModels(connection),
];
