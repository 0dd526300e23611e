import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The GridFS bucket's two collections as models, only so their indexes are declared beside the
 * other models' and built by `npm run migrate`: the driver builds the same two itself at a
 * bucket's first upload (while `artifacts.files` is empty), which under MONGO_INDEXES=require
 * would be the one index build left to a serving process, and after a restore without indexes
 * (files already there) would not happen at all. Nothing reads or writes through these
 * models: FileStore uses the driver's GridFSBucket. Their indexes are the driver's own, key for
 * key and named alike, so the driver finds them and builds nothing.
 */
const filesSchema = new Schema({});
filesSchema.index({ filename: 1, uploadDate: 1 });

const chunksSchema = new Schema({});
chunksSchema.index({ files_id: 1, n: 1 }, { unique: true });

export function bucketModels(connection: Connection, bucketName = 'artifacts'): Model<unknown>[] {
  const model = (suffix: string, schema: Schema) => {
    const name = `GridFsBucket:${bucketName}.${suffix}`;
    return (
      (connection.models[name] as Model<unknown> | undefined) ??
      connection.model<unknown>(name, schema.clone().set('collection', `${bucketName}.${suffix}`))
    );
  };
  return [model('files', filesSchema), model('chunks', chunksSchema)];
}
