import type { CursorPosition } from '@delivery/contracts';

// The cursor itself is part of the route contracts (a route's query decodes it).
export { type CursorPosition, cursorParam, decodeCursor, encodeCursor } from '@delivery/contracts';

/** The MongoDB filter for "after this position" in (createdAt desc, _id desc) order. */
export function afterCursor(position: CursorPosition) {
  return {
    $or: [
      { createdAt: { $lt: position.createdAt } },
      { createdAt: position.createdAt, _id: { $lt: position.id } },
    ],
  };
}
