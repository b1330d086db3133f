import { LRUCache } from 'lru-cache';
import { visibilityClass } from '../access/policy';
import { Principal } from '../auth/principal';

/**
 * One read per event and visibility class: every subscriber of the same partner and roles sees
 * exactly the same rows, so the first delivery's read serves the rest. Redaction still runs per
 * subscriber. Reads are kept for a few seconds.
 */
export class DeliveryCache<T> {
  private readonly reads = new LRUCache<string, Promise<T>>({ max: 10_000, ttl: 5_000 });

  read(eventKey: string, principal: Principal, load: () => Promise<T>): Promise<T> {
    const key = `${eventKey}|${visibilityClass(principal)}`;
    let read = this.reads.get(key);
    if (!read) {
      read = load();
      this.reads.set(key, read);
    }
    return read;
  }
}
