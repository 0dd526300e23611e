export { ensureLauncherBuilt } from './build-launcher.js';
export { EmbeddedMongoDamagedStoreError, EmbeddedMongoPrerequisiteError } from './errors.js';
export {
  type EmbeddedMongo,
  type EmbeddedMongoBackend,
  type EmbeddedMongoOptions,
  type LauncherExit,
  startEmbeddedMongo,
} from './start-embedded-mongo.js';
export {
  type SupervisedEmbeddedMongo,
  type SupervisionOptions,
  startSupervisedEmbeddedMongo,
} from './supervised-embedded-mongo.js';
