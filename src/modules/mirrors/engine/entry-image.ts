import type { ImageReader, ImageWriter } from './image';
import type { KeyTable } from './key-table';
import type { NameKeys } from './normalise';

/** An indexed account: its public view (or, in the server's index, the whole account) and what it is matched on. */
export interface EntryOf<Account> {
  account: Account;
  handle: NameKeys;
  name: NameKeys | null;
  /** Folded link keys (see `fuzzyLinkKey`), which the index looks links up by. */
  links: string[];
  /** The links in their exact form (see `exactLinks`): the values shared exactly, and shown. */
  exactLinks: string[];
  /** The key-table ids of the handle's core and the display name's core (-1 when not indexed): how many accounts share them is a feature. */
  coreId: number;
  nameCoreId: number;
}

/** What the index keeps of a feed entry (see `MirrorIndex.addSignal`). */
export type FeedEntry = EntryOf<{ id: string; platform: string; handle: string; displayName: string | null; organisationIds: string[]; removedAt: Date }>;

/** Per slot: the account's id, platform, handle and display name, then the handle's and the name's four keys. */
const TEXTS = 12;
const NONE = -1;
const EMPTY: string[] = [];

/**
 * The entries of an index image in columns of string ids rather than as V8-serialized objects:
 * deserializing a million entries' objects took seven seconds, more than building the index. The
 * strings are the key table's, where it holds them (most name keys, every link key), and a table of
 * the others; reading back builds each entry in one pass, and its strings are the key table's own.
 */
export function writeEntries(image: ImageWriter, entries: (FeedEntry | undefined)[], keys: KeyTable): void {
  const others = new Map<string, number>();
  const idOf = (text: string | null): number => {
    if (text === null) return NONE;
    const key = keys.idOf(text);
    if (key >= 0) return key;
    let id = others.get(text);
    if (id === undefined) others.set(text, (id = keys.size + others.size));
    return id;
  };
  const lists = new Map<string[], number>();
  const slots = entries.length;
  const texts = new Int32Array(slots * TEXTS).fill(NONE);
  const removedAt = new Float64Array(slots);
  const organisations = new Int32Array(slots);
  const cores = new Int32Array(slots * 2);
  const linkOffsets = new Int32Array(slots + 1);
  const exactOffsets = new Int32Array(slots + 1);
  const links: number[] = [];
  const exactLinks: number[] = [];
  entries.forEach((entry, slot) => {
    if (entry) {
      const { account, handle, name } = entry;
      const fields = [account.id, account.platform, account.handle, account.displayName ?? null, handle.visual, handle.core, handle.phonetic, handle.consonants];
      if (name) fields.push(name.visual, name.core, name.phonetic, name.consonants);
      fields.forEach((text, i) => (texts[slot * TEXTS + i] = idOf(text)));
      removedAt[slot] = account.removedAt.getTime();
      let list = lists.get(account.organisationIds);
      if (list === undefined) lists.set(account.organisationIds, (list = lists.size));
      organisations[slot] = list;
      cores[slot * 2] = entry.coreId;
      cores[slot * 2 + 1] = entry.nameCoreId;
      for (const link of entry.links) links.push(idOf(link));
      for (const link of entry.exactLinks) exactLinks.push(idOf(link));
    }
    linkOffsets[slot + 1] = links.length;
    exactOffsets[slot + 1] = exactLinks.length;
  });
  image.array('entries.texts', texts);
  image.array('entries.removedAt', removedAt);
  image.array('entries.organisations', organisations);
  image.array('entries.cores', cores);
  image.array('entries.linkOffsets', linkOffsets);
  image.array('entries.links', Int32Array.from(links));
  image.array('entries.exactOffsets', exactOffsets);
  image.array('entries.exactLinks', Int32Array.from(exactLinks));
  image.value('entries.strings', { others: [...others.keys()], lists: [...lists.keys()] });
}

/** The entries `writeEntries` wrote, over a key table already read back; accounts of one organisation share one list again. */
export function readEntries(image: ImageReader, keys: KeyTable): { entries: (FeedEntry | undefined)[]; organisationLists: string[][] } {
  const texts = image.array('entries.texts', 'Int32Array');
  const removedAt = image.array('entries.removedAt', 'Float64Array');
  const organisations = image.array('entries.organisations', 'Int32Array');
  const cores = image.array('entries.cores', 'Int32Array');
  const linkOffsets = image.array('entries.linkOffsets', 'Int32Array');
  const links = image.array('entries.links', 'Int32Array');
  const exactOffsets = image.array('entries.exactOffsets', 'Int32Array');
  const exactLinks = image.array('entries.exactLinks', 'Int32Array');
  const { others, lists } = image.value<{ others: string[]; lists: string[][] }>('entries.strings');
  const known = keys.size;
  const stringOf = (id: number): string => (id < known ? keys.stringOf(id) : others[id - known]);
  const text = (at: number): string => stringOf(texts[at]);
  const nameKeysAt = (at: number): NameKeys => ({ visual: text(at), core: text(at + 1), phonetic: text(at + 2), consonants: text(at + 3) });
  const linksOf = (ids: Int32Array, from: number, to: number): string[] => {
    if (from === to) return EMPTY;
    const found = new Array<string>(to - from);
    for (let i = from; i < to; i++) found[i - from] = stringOf(ids[i]);
    return found;
  };
  const slots = removedAt.length;
  const entries = new Array<FeedEntry | undefined>(slots);
  for (let slot = 0; slot < slots; slot++) {
    const at = slot * TEXTS;
    if (texts[at] === NONE) {
      entries[slot] = undefined;
      continue;
    }
    entries[slot] = {
      account: {
        id: text(at),
        platform: text(at + 1),
        handle: text(at + 2),
        displayName: texts[at + 3] === NONE ? null : text(at + 3),
        organisationIds: lists[organisations[slot]],
        removedAt: new Date(removedAt[slot]),
      },
      handle: nameKeysAt(at + 4),
      name: texts[at + 8] === NONE ? null : nameKeysAt(at + 8),
      links: linksOf(links, linkOffsets[slot], linkOffsets[slot + 1]),
      exactLinks: linksOf(exactLinks, exactOffsets[slot], exactOffsets[slot + 1]),
      coreId: cores[slot * 2],
      nameCoreId: cores[slot * 2 + 1],
    };
  }
  return { entries, organisationLists: lists };
}
