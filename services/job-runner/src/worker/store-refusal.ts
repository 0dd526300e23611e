import mongoose from 'mongoose';

/**
 * Server error codes that refuse the document itself: writing it again gives the same answer.
 * BadValue, DollarPrefixedFieldName, EmptyFieldName, DottedFieldName, DocumentValidationFailure,
 * BSONObjectTooLarge, and an update whose resulting document would be too large.
 */
const DOCUMENT_REFUSED_CODES = new Set([2, 52, 56, 57, 121, 10334, 17419]);

/**
 * Errors raised while turning a document into BSON or checking it, before any server sees it.
 * RangeError: the serializer recursing too deep, or a document beyond its buffer.
 */
const CLIENT_REFUSAL_NAMES = new Set([
  'MongoInvalidArgumentError',
  'ValidationError',
  'CastError',
  'StrictModeError',
  'RangeError',
]);

/**
 * Whether a failed write was refused for what it wrote (a key BSON or the server refuses, a
 * document too large or too deep), as opposed to a store that is unreachable or overloaded:
 * only the latter is worth another attempt. By name, not class: errors may come from another
 * realm (Node's own RangeError) or another copy of the driver.
 */
export function isDocumentRefused(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (mongoose.mongo.BSON.BSONError.isBSONError(error)) return true;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof name === 'string' && CLIENT_REFUSAL_NAMES.has(name)) return true;
  return name === 'MongoServerError' && DOCUMENT_REFUSED_CODES.has(Number(code));
}
