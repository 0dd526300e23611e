import type { AnyModel } from '@delivery/service-kit';
import type { Connection } from 'mongoose';
import { approvalModel } from './approval-model.js';
import { gateConfigModel, gateOverridesModel } from './config-models.js';
import { evaluationModel } from './evaluation-model.js';
import { projectFactsModel } from './project-facts-model.js';

/**
 * Every model of this service: the indexes `npm run migrate` builds, and MONGO_INDEXES=require
 * checks at start. A new model goes here.
 */
export const allModels = (connection: Connection): AnyModel[] => [
  approvalModel(connection),
  evaluationModel(connection),
  gateConfigModel(connection),
  gateOverridesModel(connection),
  projectFactsModel(connection),
];
