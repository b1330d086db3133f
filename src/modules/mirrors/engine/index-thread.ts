import { parentPort } from 'node:worker_threads';
import { MirrorIndex, MirrorMatch, RemovedAccount, ScreeningSubject, ScreenOptions } from './mirror-index';

/**
 * Accounts that now stand removed, and ids that no longer do; applied in this order. `signals` are
 * entries of the signal feed (JSON, keys precomputed) to index under the given id: how the index is
 * built at start, without normalising or hashing a million accounts again.
 */
export interface IndexChanges {
  add: RemovedAccount[];
  remove: string[];
  signals?: { id: string; payload: string }[];
  /**
   * How many accounts to make room for first (see `MirrorIndex.reserve`): sent with the first page
   * of a bulk load. The first changes without `signals` end the bulk load.
   */
  reserve?: number;
}

export type IndexRequest =
  | { op: 'apply'; changes: IndexChanges }
  | { op: 'screen'; subjects: ScreeningSubject[]; options: ScreenOptions }
  | { op: 'has'; id: string };

export type IndexReply = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; message: string };

/** What one request does to the index; the thread below and the inline index share it. */
export function answer(index: MirrorIndex, request: IndexRequest): number | boolean | MirrorMatch[][] {
  switch (request.op) {
    case 'apply':
      if (request.changes.reserve) index.reserve(request.changes.reserve);
      for (const { id, payload } of request.changes.signals ?? []) index.addSignal(JSON.parse(payload), id);
      for (const account of request.changes.add) index.add(account);
      for (const id of request.changes.remove) index.remove(id);
      // A page of a bulk load leaves the tables unbuilt; any other change builds what is due.
      if (!request.changes.signals?.length) index.settle();
      return index.size;
    case 'screen':
      return request.subjects.map((subject) => index.screen(subject, request.options));
    case 'has':
      return index.has(request.id);
  }
}

/**
 * The thread that owns the mirror index. Messages are handled one at a time, in the order they were
 * posted, so a screening posted after a change always sees it.
 */
if (parentPort) {
  const port = parentPort;
  const index = new MirrorIndex();
  port.on('message', ({ seq, request }: { seq: number; request: IndexRequest }) => {
    let reply: IndexReply;
    try {
      reply = { seq, ok: true, value: answer(index, request) };
    } catch (error) {
      reply = { seq, ok: false, message: (error as Error).message };
    }
    port.postMessage(reply);
  });
}
