import { v7 as uuidv7 } from 'uuid';

/**
 * Ids are made where a thing is created (the renderer for an agent's action), so a retried call can
 * never make a second copy. UUIDv7 sorts by creation time, which keeps indexes append-mostly.
 */
export function newId(): string {
  return uuidv7();
}
