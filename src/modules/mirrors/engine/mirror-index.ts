import { distance as levenshtein } from 'fastest-levenshtein';
import { BioSignatures } from './bio-signatures';
import { DeletionIndex, isAdjacentSwap } from './deletion-index';
import { EntryOf, FeedEntry, readEntries, writeEntries } from './entry-image';
import type { ImageReader, ImageWriter } from './image';
import { KeyPostings, KeyTable } from './key-table';
import { packHashes, PdqMultiIndex } from './mih';
import { Postings } from './postings';
import { PublicOrder } from './public-order';
import { FeatureVector, ModelWeights, MirrorVerdict, probability, SHIPPED_WEIGHTS, verdictOf } from './model';
import { basicForm, confusableSkeleton, NameKeys, nameKeys, readableCore } from './normalise';
import { isPdqHex, PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY } from './pdq';
import { fuzzyLinkKey, linkTokens, LSH_BANDS, lshBands, MINHASH_SIZE, minhash } from './text';

/** A removed account as the index knows it: its public view plus the material to match on. */
export interface RemovedAccount {
  id: string;
  platform: string;
  handle: string;
  displayName?: string | null;
  bio?: string | null;
  links?: string[];
  /** PDQ of the avatar (hex) and its quality; hashes below quality 50 are ignored. */
  avatarPdq?: string | null;
  avatarQuality?: number | null;
  /**
   * PAX-internal hashes of the avatar's normalised forms (avatar-variants.ts): what lets a cropped,
   * padded or rotated re-upload match. Never exported as PDQ.
   */
  avatarVariants?: string[] | null;
  organisationIds?: string[];
  removedAt: Date;
}

/** An account to screen: a sign-up, or an account an agency flags. */
export interface ScreeningSubject {
  platform: string;
  handle: string;
  displayName?: string | null;
  bio?: string | null;
  links?: string[];
  /**
   * The avatar's hashes: the plain PDQ first, then any rotations and flips and the normalised forms
   * to try (avatar-variants.ts `probes`).
   */
  avatarPdq?: string[] | null;
  avatarQuality?: number | null;
  organisationIds?: string[];
}

export interface Signal {
  feature: string;
  value: number;
  text: string;
}

/**
 * `now` is the moment the screening is for (recency is measured from it); passing it makes a
 * screening repeatable, e.g. the same answer from the index worker and from this thread.
 */
export interface ScreenOptions {
  limit?: number;
  minProbability?: number;
  now?: number;
}

export interface MirrorMatch {
  account: RemovedAccount;
  probability: number;
  verdict: MirrorVerdict;
  signals: Signal[];
}

type Entry = EntryOf<RemovedAccount>;

/**
 * An entry as `prepare` computes it, or as the feed publishes it: the bio's MinHash as words or in
 * base64. The index keeps the MinHash and the avatar's hashes in arrays of its own.
 */
type PreparedEntry = Omit<Entry, 'coreId' | 'nameCoreId'> & { bio: Uint32Array | string | null; avatar: string | null; avatarVariants: string[] };

type ExactKind = 'v' | 'c' | 'k';

/** How many candidates each kind of evidence may put forward for full scoring. */
const NAME_QUOTA = 100;
const OTHER_QUOTA = 40;
/** A key shared by more accounts than this says little about any one of them; it is skipped. */
const MAX_POSTING = 500;
const DAY = 86_400_000;
const NO_LINKS: string[] = [];
const NO_VARIANTS: string[] = [];
/** Where a bio MinHash from the feed is decoded before its words are stored: no array per entry. */
const minhashBytes = Buffer.alloc(MINHASH_SIZE * 4);
const minhashWords = new Uint32Array(MINHASH_SIZE);

const similarity = (a: string, b: string) => (a && b ? 1 - levenshtein(a, b) / Math.max(a.length, b.length) : 0);
const compact = (key: string) => key.replace(/[^a-z0-9]/g, '');

/**
 * Every removed account, indexed so a screening finds its candidates without a scan: exact maps
 * of name keys, a one-edit deletion index of cores, multi-index hashing of avatars, LSH bands
 * of bios and an inverted index of links. Candidates are scored by the shipped model.
 */
export class MirrorIndex {
  /**
   * Every account has an integer slot, and the indexes below hold slots: small integers cost the
   * collector nothing, where an id string per posting did. A removed account's slot is reused.
   */
  private readonly slotOf = new Map<string, number>();
  private entries: (Entry | undefined)[] = [];
  private freeSlots: number[] = [];
  private readonly bios = new BioSignatures();
  private readonly order = new PublicOrder();
  /** Every name key, core and link key, interned: the tables below hold key ids and slots. */
  private readonly keys = new KeyTable();
  /** The exact keys, one table per kind (see `exactKeys`). */
  private readonly exact = { v: new KeyPostings(), c: new KeyPostings(), k: new KeyPostings() };
  private readonly cores = new DeletionIndex(this.keys);
  private readonly coreOwners = new KeyPostings();
  private readonly avatars = new PdqMultiIndex<number>();
  private readonly bands = new Postings();
  private readonly links = new KeyPostings();
  private readonly organisationLists = new Map<string, string[]>();
  /** Whether a bulk load (`reserve`) has not been settled yet. */
  private bulkLoad = false;
  /** Whether every entry came from the feed (`addSignal`): only such an index is written as an image. */
  private feedOnly = true;

  constructor(private readonly model: ModelWeights = SHIPPED_WEIGHTS) {}

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  add(account: RemovedAccount): void {
    this.feedOnly = false;
    this.insert(prepare(account));
  }

  /**
   * Makes room for `accounts` accounts at once, e.g. a snapshot's count before it is read: every
   * table is sized once instead of growing and rehashing step by step, which was a fifth of the
   * time a million accounts took to load.
   */
  reserve(accounts: number): void {
    if (!Number.isSafeInteger(accounts) || accounts <= 0) return;
    this.bulkLoad = true;
    this.ensureCapacity(accounts);
    const keys = accounts * 4;
    this.keys.reserve(keys);
    this.exact.v.reserve(accounts, keys);
    this.exact.c.reserve(accounts * 2, keys);
    this.exact.k.reserve(accounts * 2, keys);
    this.cores.reserve(accounts);
    this.coreOwners.reserve(accounts, keys);
    this.avatars.reserve(accounts);
    this.bands.reserve(accounts * LSH_BANDS);
    this.links.reserve(accounts * 2, keys);
  }

  /**
   * Indexes an entry of the signal feed under `id` (its entry id unless the caller keys the index
   * otherwise): the keys come precomputed, so nothing is normalised or hashed again.
   */
  addSignal(signal: SignalEntry, id = signal.id): void {
    this.insert({
      account: { id, platform: signal.platform, handle: signal.handle, displayName: signal.displayName, organisationIds: this.organisationList(signal.organisations), removedAt: new Date(signal.removedAt) },
      handle: signal.handleKeys,
      name: signal.nameKeys,
      bio: signal.bioMinhash,
      links: signal.links.length ? signal.links : NO_LINKS,
      exactLinks: signal.exactLinks?.length ? signal.exactLinks : NO_LINKS,
      avatar: signal.avatarPdq,
      avatarVariants: signal.avatarVariants?.length ? signal.avatarVariants : NO_VARIANTS,
    });
  }

  /** Accounts of one organisation share one list of its ids: a million lists of one id were a million arrays. */
  private organisationList(organisations: { id: string }[]): string[] {
    const key = organisations.map((o) => o.id).join('\n');
    let list = this.organisationLists.get(key);
    if (!list) this.organisationLists.set(key, (list = organisations.map((o) => o.id)));
    return list;
  }

  private insert({ bio, avatar, avatarVariants, ...prepared }: PreparedEntry): void {
    const account = prepared.account;
    // Everything that can refuse the entry runs before the index changes: a half-inserted entry
    // would later be removed from tables it never reached.
    const words = typeof bio === 'string' ? decodeMinhash(bio) : bio;
    this.remove(account.id);
    const slot = this.freeSlots.pop() ?? this.entries.length;
    this.ensureCapacity(slot + 1);
    this.slotOf.set(account.id, slot);
    const indexedCore = prepared.handle.core.length >= 3;
    const entry: Entry = {
      account,
      handle: prepared.handle,
      name: prepared.name,
      links: prepared.links,
      exactLinks: prepared.exactLinks,
      coreId: indexedCore ? this.keys.intern(prepared.handle.core) : -1,
      nameCoreId: prepared.name && prepared.name.core.length >= 3 ? this.keys.intern(prepared.name.core) : -1,
    };
    this.entries[slot] = entry;
    for (const [kind, id] of this.entryKeyIds(entry)) this.exact[kind].add(id, slot);
    if (indexedCore) {
      this.cores.add(entry.coreId);
      this.coreOwners.add(entry.coreId, slot);
    }
    if (avatar || avatarVariants.length) this.avatars.add(slot, avatar ? [avatar, ...avatarVariants] : avatarVariants);
    this.bios.set(slot, words);
    this.order.set(slot, account.platform, account.handle);
    if (words) {
      // A band shared twice within one bio is one posting, as it was one member of a Set.
      for (const band of new Set(lshBands(words))) this.bands.add(band, slot);
    }
    for (const link of new Set(entry.links)) this.links.add(this.keys.intern(link), slot);
  }

  /**
   * An indexed entry's exact keys as key-table ids, each (kind, key) once: a handle and a display
   * name often share their core, and a table holds a slot once per key.
   */
  private entryKeyIds(entry: Entry): [ExactKind, number][] {
    const ids: [ExactKind, number][] = [];
    for (const [kind, key] of exactKeys(entry.handle, entry.name)) {
      const id = this.keys.intern(key);
      if (!ids.some(([k, i]) => k === kind && i === id)) ids.push([kind, id]);
    }
    return ids;
  }

  /**
   * Files what a bulk load deferred (see `reserve`), or rebuilds a table once changes have piled up
   * in it, so that the first screening after a load or a change batch does not pay for it.
   */
  settle(): void {
    this.avatars.settle();
    this.bands.settle();
    for (const table of [this.exact.v, this.exact.c, this.exact.k, this.coreOwners, this.links]) table.settle();
    if (this.bulkLoad) this.relayEntries();
    this.bulkLoad = false;
  }

  /**
   * Copies every entry into new objects, made one entry after another. A bulk load leaves an
   * entry's objects scattered among the garbage of parsing a million lines, and a screening reads
   * a few hundred entries: at a million accounts its p99 was twice that of the same index read
   * back from an image, whose entries are made in one pass. The strings are not copied.
   */
  private relayEntries(): void {
    this.entries = this.entries.map(
      (entry) =>
        entry && {
          account: { ...entry.account, removedAt: new Date(entry.account.removedAt.getTime()) },
          handle: { ...entry.handle },
          name: entry.name && { ...entry.name },
          links: entry.links.length ? [...entry.links] : entry.links,
          exactLinks: entry.exactLinks.length ? [...entry.exactLinks] : entry.exactLinks,
          coreId: entry.coreId,
          nameCoreId: entry.nameCoreId,
        },
    );
  }

  /**
   * Writes the built index as an image (see `image.ts`): the typed tables first, then the strings
   * and the entries, so that reading back allocates the large arrays while the heap is still small.
   * Only for an index of feed entries: an image keeps an entry's public view, not a whole account.
   */
  writeImage(image: ImageWriter): void {
    if (!this.feedOnly) throw new Error('only an index of feed entries (addSignal) is written as an image');
    this.settle();
    for (const [name, table] of this.imageTables()) table.writeImage(image, name);
    image.array('freeSlots', Int32Array.from(this.freeSlots));
    writeEntries(image, this.entries as (FeedEntry | undefined)[], this.keys);
  }

  /** The tables in the order an image holds them; the key table last, as the entries' strings are read over it. */
  private imageTables(): [string, { writeImage(image: ImageWriter, name: string): void; readImage(image: ImageReader, name: string): void }][] {
    const { bios, order, exact, cores, coreOwners, avatars, bands, links, keys } = this;
    return [['bios', bios], ['order', order], ['exact.v', exact.v], ['exact.c', exact.c], ['exact.k', exact.k], ['cores', cores], ['coreOwners', coreOwners], ['avatars', avatars], ['bands', bands], ['links', links], ['keys', keys]];
  }

  /** An index read back from an image: equal to the one that wrote it. */
  static fromImage(image: ImageReader, model: ModelWeights = SHIPPED_WEIGHTS): MirrorIndex {
    const index = new MirrorIndex(model);
    for (const [name, table] of index.imageTables()) table.readImage(image, name);
    index.freeSlots = [...image.array('freeSlots', 'Int32Array')];
    const { entries, organisationLists } = readEntries(image, index.keys);
    index.entries = entries;
    for (const list of organisationLists) index.organisationLists.set(list.join('\n'), list);
    entries.forEach((entry, slot) => entry && index.slotOf.set(entry.account.id, slot));
    return index;
  }

  private ensureCapacity(slots: number): void {
    this.bios.ensureCapacity(slots);
    this.order.ensureCapacity(slots);
  }

  /** Forgets an account (reinstated). The deletion index keeps the core string; lookups skip it. */
  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const entry = this.entries[slot]!;
    this.slotOf.delete(id);
    this.entries[slot] = undefined;
    this.freeSlots.push(slot);
    for (const [kind, keyId] of this.entryKeyIds(entry)) this.exact[kind].delete(keyId, slot);
    if (entry.coreId >= 0) this.coreOwners.delete(entry.coreId, slot);
    this.avatars.remove(slot);
    const bio = this.bios.of(slot);
    if (bio) for (const band of new Set(lshBands(bio))) this.bands.delete(band, slot);
    for (const link of new Set(entry.links)) this.links.delete(this.keys.idOf(link), slot);
  }

  /** The best matches above `minProbability`, most likely first. */
  screen(subject: ScreeningSubject, options: ScreenOptions = {}): MirrorMatch[] {
    const query = prepareSubject(subject, options.now);
    return this.rank(query, this.candidateSlots(query), options);
  }

  /**
   * Candidate ids from every index; no scan of the whole index. Each kind of evidence fills its own
   * quota, most-hit first: a common handle core can match hundreds of accounts, and one shared
   * pool would let those crowd out the single account with the same avatar, bio or link.
   */
  candidates(query: PreparedSubject): string[] {
    // In the public order, so that training, which samples the first candidates, does not depend on how the tables store them.
    return this.candidateSlots(query)
      .sort((a, b) => this.publicOrder(a, b))
      .map((slot) => this.entries[slot]!.account.id);
  }

  private candidateSlots(query: PreparedSubject): number[] {
    const pools = { names: new Map<number, number>(), avatars: new Map<number, number>(), bios: new Map<number, number>(), links: new Map<number, number>() };
    const hit = (pool: Map<number, number>, ids: number[] | undefined, weight = 1) => {
      if (!ids || ids.length > MAX_POSTING) return;
      for (const id of ids) pool.set(id, (pool.get(id) ?? 0) + weight);
    };
    for (const [kind, key] of exactKeys(query.handle, query.name)) hit(pools.names, this.exact[kind].get(this.keys.idOf(key)), 3);
    if (query.handle.core.length >= 3) for (const core of this.cores.search(query.handle.core)) hit(pools.names, this.coreOwners.get(core), 2);
    if (query.avatars.length) for (const [id, distance] of this.avatars.search(query.avatarWords)) pools.avatars.set(id, 256 - distance);
    if (query.bio) {
      // One shared band says little when bios are built from the same slogans: the estimated
      // similarity orders them, computed only for bios that can make the quota.
      const postings = lshBands(query.bio).map((band) => this.bands.get(band, MAX_POSTING));
      pools.bios = this.bios.pool(query.bio, postings.filter((slots): slots is number[] => slots !== undefined), OTHER_QUOTA);
    }
    for (const link of query.links) hit(pools.links, this.links.get(this.keys.idOf(link)));
    const picked = new Set<number>();
    for (const [pool, quota] of [[pools.names, NAME_QUOTA], [pools.avatars, OTHER_QUOTA], [pools.bios, OTHER_QUOTA], [pools.links, OTHER_QUOTA]] as const) {
      for (const slot of strongest(pool, quota, (a, b) => this.publicOrder(a, b))) picked.add(slot);
    }
    return [...picked];
  }

  /** The same scoring over every indexed account: the baseline the index is measured against. */
  screenBruteForce(subject: ScreeningSubject, options: ScreenOptions = {}): MirrorMatch[] {
    return this.rank(prepareSubject(subject, options.now), [...this.slotOf.values()], options);
  }

  /**
   * The last word on equal candidates: platform and handle, then the id. Two indexes holding the
   * same accounts in another order (one loaded from the signal feed, one built from the database)
   * then keep and rank the same ones; the public view comes first because the two key their
   * accounts by different ids (the feed's entry id, the account id).
   */
  private publicOrder(a: number, b: number): number {
    const known = this.order.compare(a, b);
    if (known !== 0) return known;
    const [x, y] = [this.entries[a]!.account, this.entries[b]!.account];
    const order = (p: string, q: string) => (p < q ? -1 : p > q ? 1 : 0);
    return order(x.platform, y.platform) || order(x.handle, y.handle) || order(x.id, y.id);
  }

  /**
   * Most likely first. Probabilities that differ by less than a reviewer can see (the same
   * thousandth) are a tie, and the closer evidence wins it (see `closeness`): two removed accounts
   * that both explain a mirror are not equally likely its original. The order is the same whatever
   * order the candidates came in.
   */
  private rank(query: PreparedSubject, slots: number[], options: ScreenOptions): MirrorMatch[] {
    const limit = options.limit ?? 5;
    const floor = options.minProbability ?? 0.05;
    const scored: { slot: number; p: number; tie: number }[] = [];
    for (const slot of slots) {
      const p = probability(this.compare(query, slot).features, this.model);
      if (p >= floor) scored.push({ slot, p, tie: Math.round(p * 1000) });
    }
    scored.sort((a, b) => b.tie - a.tie || b.p - a.p);
    const ranked: typeof scored = [];
    let forms: QueryForms | undefined;
    for (let start = 0; start < scored.length && ranked.length < limit; ) {
      let end = start + 1;
      while (end < scored.length && scored[end].tie === scored[start].tie) end++;
      const tied = scored.slice(start, end);
      if (tied.length > 1) {
        forms ??= { handle: writtenForms(query.raw.handle), name: writtenForms(query.raw.displayName) };
        const close = new Map(tied.map(({ slot }) => [slot, this.closeness(query, forms!, slot)]));
        tied.sort((a, b) => compareCloseness(close.get(b.slot)!, close.get(a.slot)!) || b.p - a.p || this.publicOrder(a.slot, b.slot));
      }
      ranked.push(...tied);
      start = end;
    }
    return ranked
      .slice(0, limit)
      .map(({ slot, p }) => ({ account: this.entries[slot]!.account, probability: p, verdict: verdictOf(p), signals: this.compare(query, slot, true).signals }));
  }

  /**
   * How directly a removed account's evidence meets the subject's, strongest first: links shared
   * exactly, then the handle equal as written, equal as the same TR39 skeleton (look-alike letters
   * only), or equal only once leetspeak is folded too; then the display name likewise.
   */
  private closeness(query: PreparedSubject, forms: QueryForms, slot: number): number[] {
    const entry = this.entries[slot]!;
    const level = (mine: WrittenForms | null, theirs: string | null | undefined, myKeys: NameKeys | null, theirKeys: NameKeys | null) => {
      // Equal as written or as a skeleton implies equal visual keys: most tied candidates stop here, unnormalised.
      if (!mine || !theirs || !myKeys || !theirKeys || myKeys.visual !== theirKeys.visual) return 0;
      const plain = basicForm(theirs);
      if (plain === mine.plain) return 3;
      return confusableSkeleton(plain) === mine.skeleton ? 2 : 1;
    };
    return [
      sharedExactLinks(query, entry).length,
      level(forms.handle, entry.account.handle, query.handle, entry.handle),
      level(forms.name, entry.account.displayName, query.name, entry.name),
    ];
  }

  /** The features of one pair, and the human-readable signals behind them. */
  private compare(query: PreparedSubject, slot: number, explain = false): { features: FeatureVector; signals: Signal[] } {
    const entry = this.entries[slot]!;
    const account = entry.account;
    const signals: Signal[] = [];
    const visual = similarity(query.compactVisual, compact(entry.handle.visual));
    const coreDistance = query.handle.core && entry.handle.core ? levenshtein(query.handle.core, entry.handle.core) : Infinity;
    const core = Number.isFinite(coreDistance) ? 1 - coreDistance / Math.max(query.handle.core.length, entry.handle.core.length) : 0;
    const coreExact = query.handle.core.length >= 3 && coreDistance === 0 ? 1 : 0;
    // One slip of the keyboard away from a long core: a typo on top of another evasion, which the
    // similarities alone rate like any name from the same vocabulary.
    const coreNear = (coreDistance === 1 || (coreDistance === 2 && isAdjacentSwap(query.handle.core, entry.handle.core))) && Math.min(query.handle.core.length, entry.handle.core.length) >= 6 ? 1 : 0;
    const consonants = query.handle.consonants.length >= 3 ? similarity(query.handle.consonants, entry.handle.consonants) : 0;
    const name = query.name && entry.name ? Math.max(similarity(query.name.core, entry.name.core), similarity(query.name.consonants, entry.name.consonants)) : 0;
    // A display name many removed accounts go by says less about any one of them.
    const nameHolders = entry.nameCoreId >= 0 ? Math.max(1, this.exact.c.count(entry.nameCoreId)) : 1;
    const owners = Math.max(1, this.coreOwners.count(entry.coreId));
    const rarity = Math.min(1, entry.handle.core.length / 8) / (1 + Math.log2(owners));
    const avatarDistance = this.avatars.distance(slot, query.avatarWords);
    const pdq = Math.max(0, 1 - avatarDistance / 64);
    const bio = this.bios.similarity(query.bio, slot);
    const sharedExact = sharedExactLinks(query, entry);
    // A folded key that an exact link already explains is not a second, fuzzy match.
    const exactKeys = sharedExact.length ? new Set(sharedExact.map(fuzzyLinkKey)) : null;
    const sharedFuzzy = query.links.filter((l) => entry.links.includes(l) && !exactKeys?.has(l));
    const sameOrganisation = query.organisationIds.some((o) => account.organisationIds?.includes(o)) ? 1 : 0;
    const ageDays = Math.max(0, (query.at - account.removedAt.getTime()) / DAY);
    if (explain) this.explain(signals, query, entry, { visual, coreExact, coreNear, consonants, name, avatarDistance, bio, sharedExact, sharedFuzzy, sameOrganisation });
    return {
      features: {
        handle_visual_sim: visual,
        handle_core_sim: core,
        handle_core_exact: coreExact,
        handle_core_near: coreNear,
        handle_consonant_sim: consonants,
        name_sim: name,
        name_rarity: rarity * Math.max(core, visual),
        display_name_rarity: name / (1 + Math.log2(nameHolders)),
        avatar_pdq: pdq,
        bio_sim: bio,
        shared_links: Math.min(1, sharedExact.length / 2),
        shared_links_fuzzy: Math.min(1, sharedFuzzy.length / 2),
        same_organisation: sameOrganisation,
        recency: Math.exp(-ageDays / 60),
        same_platform: query.raw.platform === account.platform ? 1 : 0,
      },
      signals,
    };
  }

  private explain(
    signals: Signal[],
    query: PreparedSubject,
    entry: Entry,
    values: {
      visual: number; coreExact: number; coreNear: number; consonants: number; name: number; avatarDistance: number; bio: number; sharedExact: string[]; sharedFuzzy: string[]; sameOrganisation: number;
    },
  ): void {
    const account = entry.account;
    const where = `@${account.handle} (${account.platform}, removed ${account.removedAt.toISOString().slice(0, 10)})`;
    if (values.coreExact) {
      const core = readableCore(account.handle) || entry.handle.core;
      signals.push({ feature: 'handle_core_exact', value: 1, text: `handle @${query.raw.handle} comes to "${core}", as ${where} does, once look-alike letters, digits for letters, separators and mirror affixes are set aside` });
    } else if (values.coreNear) {
      const core = readableCore(account.handle) || entry.handle.core;
      signals.push({ feature: 'handle_core_near', value: 1, text: `handle @${query.raw.handle} is one typo away from "${core}", the core of ${where}, once look-alike letters, digits for letters, separators and mirror affixes are set aside` });
    }
    if (!values.coreExact && values.visual >= 0.75) signals.push({ feature: 'handle_visual_sim', value: values.visual, text: `handle @${query.raw.handle} looks like ${where} (similarity ${values.visual.toFixed(2)})` });
    if (!values.coreExact && values.consonants >= 0.8) signals.push({ feature: 'handle_consonant_sim', value: values.consonants, text: `handle @${query.raw.handle} sounds like ${where} (their consonants: ${query.handle.consonants} and ${entry.handle.consonants})` });
    if (values.avatarDistance <= PDQ_MATCH_DISTANCE) signals.push({ feature: 'avatar_pdq', value: values.avatarDistance, text: `avatar PDQ distance ${values.avatarDistance} to ${where}` });
    if (values.name >= 0.8) signals.push({ feature: 'name_sim', value: values.name, text: `display name "${query.raw.displayName}" matches "${account.displayName}" of ${where}` });
    if (values.bio >= 0.3) signals.push({ feature: 'bio_sim', value: values.bio, text: `bio ${(values.bio * 100).toFixed(0)}% similar to ${where}` });
    if (values.sharedExact.length) signals.push({ feature: 'shared_links', value: values.sharedExact.length, text: `shares ${values.sharedExact.join(', ')} with ${where}` });
    if (values.sharedFuzzy.length) {
      const shown = (exact: string[], key: string) => exact.find((l) => fuzzyLinkKey(l) === key) ?? key;
      const pairs = values.sharedFuzzy.map((key) => `${shown(query.exactLinks, key)} ~ ${shown(entry.exactLinks, key)}`);
      signals.push({ feature: 'shared_links_fuzzy', value: values.sharedFuzzy.length, text: `links look alike (fuzzy match, not the same link): ${pairs.join(', ')} of ${where}` });
    }
    if (values.sameOrganisation) signals.push({ feature: 'same_organisation', value: 1, text: `linked to the same organisation as ${where}` });
  }

  /** For training and evaluation: the features of a subject against one indexed account. */
  featuresOf(subject: ScreeningSubject, id: string): FeatureVector | null {
    const slot = this.slotOf.get(id);
    return slot === undefined ? null : this.compare(prepareSubject(subject), slot).features;
  }
}

/**
 * One removed account as the signal feed publishes it: the public view that screening shows and
 * the keys the index matches on, precomputed so that a matcher loads without normalising or hashing.
 * Nothing else: no bio text, no notes, no evidence, no agency, no account id (`id` is the feed's own).
 */
export interface SignalEntry {
  id: string;
  platform: string;
  handle: string;
  displayName: string | null;
  organisations: { id: string; name: string }[];
  /** ISO 8601. */
  removedAt: string;
  handleKeys: NameKeys;
  nameKeys: NameKeys | null;
  /** The avatar's PDQ as the index holds it (lower-case hex), or null when it has none of quality 50 or more. */
  avatarPdq: string | null;
  /** PAX-internal hashes of the avatar's normalised forms (lower-case hex, not PDQs of the image); may be empty. */
  avatarVariants: string[];
  /** The bio's MinHash: 64 unsigned 32-bit words, little-endian, base64. */
  bioMinhash: string | null;
  /** Folded link keys, e.g. `tg:umar_backup`, for fuzzy link matches. */
  links: string[];
  /**
   * The links in their exact form, e.g. `t.me/umar_backup`, `youtube.com/watch?v=AbC`, `@umar_media`,
   * `+923001234567`: for exact link matches, and shown to reviewers. Absent from entries published
   * before it was added; those match links only fuzzily.
   */
  exactLinks?: string[];
}

/** The feed entry of a removed account: the same keys `add` computes, ready to publish. */
export function signalEntryOf(id: string, account: RemovedAccount, organisations: { id: string; name: string }[]): SignalEntry {
  const entry = prepare(account);
  return {
    id,
    platform: account.platform,
    handle: account.handle,
    displayName: account.displayName ?? null,
    organisations,
    removedAt: account.removedAt.toISOString(),
    handleKeys: entry.handle,
    nameKeys: entry.name,
    avatarPdq: entry.avatar,
    avatarVariants: entry.avatarVariants,
    bioMinhash: entry.bio ? minhashToBase64(entry.bio) : null,
    links: entry.links,
    exactLinks: entry.exactLinks,
  };
}

function minhashToBase64(words: Uint32Array): string {
  const bytes = Buffer.alloc(words.length * 4);
  words.forEach((word, i) => bytes.writeUInt32LE(word, i * 4));
  return bytes.toString('base64');
}

/** A feed entry's base64 MinHash as words, in a scratch array the caller copies at once; anything but 64 words is refused. */
function decodeMinhash(text: string): Uint32Array {
  if (Buffer.byteLength(text, 'base64') !== minhashBytes.length || minhashBytes.write(text, 'base64') !== minhashBytes.length) {
    throw new Error(`a bio MinHash must be ${MINHASH_SIZE} words in base64`);
  }
  for (let w = 0; w < MINHASH_SIZE; w++) minhashWords[w] = minhashBytes.readUInt32LE(w * 4);
  return minhashWords;
}

export interface PreparedSubject {
  raw: ScreeningSubject;
  handle: NameKeys;
  /** The handle's visual key without separators, as the exact tables and the visual similarity read it. */
  compactVisual: string;
  name: NameKeys | null;
  bio: Uint32Array | null;
  links: string[];
  exactLinks: string[];
  avatars: string[];
  /** The same hashes packed for the avatar index (`packHashes`), once per screening. */
  avatarWords: Uint32Array;
  organisationIds: string[];
  /** When the screening happens, in epoch milliseconds. */
  at: number;
}

function prepare(account: RemovedAccount): PreparedEntry & { bio: Uint32Array | null } {
  const usable = account.avatarPdq && isPdqHex(account.avatarPdq) && (account.avatarQuality ?? 100) >= PDQ_MIN_QUALITY;
  return {
    account,
    handle: nameKeys(account.handle),
    name: account.displayName ? nameKeys(account.displayName) : null,
    bio: account.bio ? minhash(account.bio) : null,
    ...linksOf(account.bio, account.links),
    avatar: usable ? account.avatarPdq!.toLowerCase() : null,
    avatarVariants: (account.avatarVariants ?? NO_VARIANTS).filter(isPdqHex).map((h) => h.toLowerCase()),
  };
}

export function prepareSubject(subject: ScreeningSubject, at = Date.now()): PreparedSubject {
  const usable = (subject.avatarQuality ?? 100) >= PDQ_MIN_QUALITY;
  const avatars = usable ? (subject.avatarPdq ?? []).filter(isPdqHex).map((h) => h.toLowerCase()) : [];
  const handle = nameKeys(subject.handle);
  return {
    raw: subject,
    handle,
    compactVisual: compact(handle.visual),
    name: subject.displayName ? nameKeys(subject.displayName) : null,
    bio: subject.bio ? minhash(subject.bio) : null,
    ...linksOf(subject.bio, subject.links),
    avatars,
    avatarWords: packHashes(avatars),
    organisationIds: subject.organisationIds ?? [],
    at,
  };
}

function linksOf(bio: string | null | undefined, links: string[] | undefined): { links: string[]; exactLinks: string[] } {
  const { exact, fuzzy } = linkTokens([bio, ...(links ?? [])]);
  return { links: fuzzy.length ? fuzzy : NO_LINKS, exactLinks: exact.length ? exact : NO_LINKS };
}

interface WrittenForms {
  plain: string;
  skeleton: string;
}
/** The subject's handle and name as written and as TR39 skeletons, computed once per screening. */
type QueryForms = { handle: WrittenForms | null; name: WrittenForms | null };

function writtenForms(text: string | null | undefined): WrittenForms | null {
  if (!text) return null;
  const plain = basicForm(text);
  return { plain, skeleton: confusableSkeleton(plain) };
}

/** The subject's links that the removed account carries exactly: a feature, a tie-break and a signal's text. */
function sharedExactLinks(query: PreparedSubject, entry: Entry): string[] {
  return query.exactLinks.filter((l) => entry.exactLinks.includes(l));
}

/**
 * The `quota` slots of a pool with the highest values, ties at the cut going to the first in `order`:
 * the first `quota` of the pool sorted by value, then by `order`, without sorting the pool: the
 * cut is selected, and only the ties at it are sorted. Ranking decides the order of what is picked,
 * so only the cut matters; at a million accounts, sorting whole pools was the slowest part of a
 * screening.
 */
export function strongest(pool: Map<number, number>, quota: number, order: (a: number, b: number) => number): number[] {
  if (pool.size <= quota) return [...pool.keys()];
  const cut = kthLargest(Float64Array.from(pool.values()), quota);
  const picked: number[] = [];
  const tied: number[] = [];
  for (const [slot, value] of pool) {
    if (value > cut) picked.push(slot);
    else if (value === cut) tied.push(slot);
  }
  // Ties are often most of a names pool (one shared core neighbour each): sorted once, not inserted one by one.
  return picked.concat(tied.sort(order).slice(0, quota - picked.length));
}

/** The k-th largest of the values (k from 1), which it reorders: Hoare's selection, linear on average where a sort was not. */
export function kthLargest(values: Float64Array, k: number): number {
  const target = k - 1;
  let [low, high] = [0, values.length - 1];
  while (low < high) {
    const pivot = values[(low + high) >>> 1];
    let [i, j] = [low, high];
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j], values[i]];
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target];
}

/** Lexicographic: the first element that differs decides. */
function compareCloseness(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The exact keys of a handle and a name: v (compact visual form), c (core), k (consonants). */
function exactKeys(handle: NameKeys, name: NameKeys | null): [ExactKind, string][] {
  const keys: [ExactKind, string][] = [['v', compact(handle.visual)]];
  if (handle.core.length >= 3) keys.push(['c', handle.core]);
  if (handle.consonants.length >= 4) keys.push(['k', handle.consonants]);
  if (name && name.core.length >= 3) keys.push(['c', name.core]);
  if (name && name.consonants.length >= 4) keys.push(['k', name.consonants]);
  return keys;
}
