/** Java or Maven is missing: installing them is the fix, unlike for any other start failure. */
export class EmbeddedMongoPrerequisiteError extends Error {
  override readonly name = 'EmbeddedMongoPrerequisiteError';
}

/** The H2 data file is damaged and no version of it is consistent: starting again cannot help. */
export class EmbeddedMongoDamagedStoreError extends Error {
  override readonly name = 'EmbeddedMongoDamagedStoreError';
}

/** Exit status the Java launcher uses for a damaged data file it could not repair (H2Store.java). */
export const DAMAGED_STORE_EXIT_CODE = 3;
