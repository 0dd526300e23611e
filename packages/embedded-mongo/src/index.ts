export { ensureLauncherBuilt } from './build-launcher.js';
export {
  type EmbeddedMongo,
  type EmbeddedMongoBackend,
  type EmbeddedMongoOptions,
  startEmbeddedMongo,
} from './start-embedded-mongo.js';
