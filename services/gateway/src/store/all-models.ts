import type { AnyModel } from '@delivery/service-kit';
import type { Connection } from 'mongoose';
import { gatewayModels } from './models.js';

/**
 * Every model of this service: the indexes `npm run migrate` builds, and MONGO_INDEXES=require
 * checks at start. A new model goes in gatewayModels, and so here.
 */
export const allModels = (connection: Connection): AnyModel[] => Object.values(gatewayModels(connection));
