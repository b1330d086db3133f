import fs from 'node:fs';
import path from 'node:path';
import { ImageError, ImageReader, ImageWriter } from '../modules/mirrors/engine/image';
import { MirrorIndex, ScreeningSubject, ScreenOptions, SignalEntry } from '../modules/mirrors/engine/mirror-index';
import { MirrorVerdict } from '../modules/mirrors/engine/model';
import { DocumentHeader, DocumentSignature, DocumentVerifier, KeySet, keySetOf, SignalChange, SignalPublicJwk, SignatureError, verifyDigest } from './codec';

export { keySetOf, SignatureError } from './codec';
export type { DocumentHeader, KeySet, SignalChange, SignalPublicJwk } from './codec';
export type { ScreeningSubject, SignalEntry } from '../modules/mirrors/engine/mirror-index';
export { MirrorVerdict } from '../modules/mirrors/engine/model';

/** A match as the matcher reports it: the removed account's public view, never more. */
export interface SignalMatch {
  /** The feed's id of the entry (not a PAX account id). */
  entryId: string;
  probability: number;
  verdict: MirrorVerdict;
  signals: string[];
  removedAccount: { platform: string; handle: string; displayName: string | null; organisations: string[]; removedAt: string };
}

export interface LocalState {
  cursor: number;
  snapshot: string;
  changes: string[];
  /** The index built from `snapshot`, as an image (see `writeImage`); absent when none was written. */
  image?: string;
}

/** What an index image records of the snapshot it was built from. */
interface ImageMeta {
  snapshot: string;
  cursor: number;
  signature: DocumentSignature;
  organisations: [string, string][];
}

export const STATE_FILE = 'state.json';
export const KEYS_FILE = 'keys.json';

/** The most entries a snapshot's header makes room for before the snapshot has verified. */
const MAX_RESERVED = 2_000_000;

type Source = Buffer | AsyncIterable<Buffer> | Iterable<Buffer>;

async function feed(verifier: DocumentVerifier, source: Source) {
  if (Buffer.isBuffer(source)) verifier.push(source);
  else for await (const chunk of source) verifier.push(chunk);
  return verifier.end();
}

/**
 * The PAX mirror engine without the server: load a signed snapshot, apply signed change batches,
 * screen sign-ups in process. Nothing is applied before its document verifies; a snapshot is built
 * aside and replaces the index only once its signature checks out.
 */
export class SignalMatcher {
  private index = new MirrorIndex();
  private organisations = new Map<string, string>();
  private position = 0;
  /** The signature of the snapshot the index holds, while no change batch has been applied to it. */
  private snapshotSignature: DocumentSignature | null = null;
  private loadedFrom: 'snapshot' | 'image' | null = null;
  private refusal: string | null = null;

  constructor(private readonly keys: KeySet) {}

  /** The feed position this copy is at: the cursor to ask changes after. */
  get cursor(): number {
    return this.position;
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * Where the index came from: the snapshot's JSON, or an index image of it; and why an image on
   * hand was not used (damaged, of another snapshot or PAX version, or signed by a key no longer
   * pinned), or null.
   */
  get origin(): { loadedFrom: 'snapshot' | 'image' | null; imageRefused: string | null } {
    return { loadedFrom: this.loadedFrom, imageRefused: this.refusal };
  }

  /**
   * Reads a directory kept by `pax signals pull`: its pinned keys, snapshot (or the index image
   * pull built from it) and change batches.
   */
  static async fromDirectory(dir: string, keys?: KeySet): Promise<SignalMatcher> {
    const stateFile = path.join(dir, STATE_FILE);
    if (!fs.existsSync(stateFile)) throw new Error(`${dir} holds no signal feed yet; run \`pax signals pull --dir ${dir}\` first`);
    const state: LocalState = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    const matcher = new SignalMatcher(keys ?? keySetOf(JSON.parse(fs.readFileSync(path.join(dir, KEYS_FILE), 'utf8')) as { keys: SignalPublicJwk[] }));
    if (!(state.image && matcher.loadImage(path.join(dir, state.image), state.snapshot))) {
      await matcher.loadSnapshot(fs.createReadStream(path.join(dir, state.snapshot), { highWaterMark: 1 << 20 }));
    }
    for (const file of state.changes) await matcher.applyChanges(fs.createReadStream(path.join(dir, file)));
    return matcher;
  }

  /**
   * Writes the index as an image beside its snapshot (named `snapshot` in the directory), so the
   * next `fromDirectory` reads the built tables instead of building them from JSON. Only right
   * after `loadSnapshot`: the image stands for that snapshot, and the change batches go on top.
   */
  writeImage(file: string, snapshot: string): void {
    if (!this.snapshotSignature) throw new Error('an index image is written right after loadSnapshot, before any change batch');
    const image = new ImageWriter();
    this.index.writeImage(image);
    image.write<ImageMeta>(file, { snapshot, cursor: this.position, signature: this.snapshotSignature, organisations: [...this.organisations] });
  }

  /**
   * Replaces the index with an image `writeImage` made of the snapshot named `snapshot`, if it is
   * whole, of that snapshot, of this version of PAX and signed by a pinned key; otherwise leaves the
   * matcher as it was, says why in `origin.imageRefused`, and returns false.
   */
  loadImage(file: string, snapshot: string): boolean {
    try {
      const { index, meta, organisations } = ImageReader.read<ImageMeta, { index: MirrorIndex; meta: ImageMeta; organisations: Map<string, string> }>(file, (image) => {
        const { meta } = image;
        if (meta.snapshot !== snapshot) throw new ImageError(`the image is of ${meta.snapshot}, not of ${snapshot}`);
        if (!Number.isSafeInteger(meta.cursor) || !Array.isArray(meta.organisations)) throw new ImageError("the image's header does not say where it stands");
        verifyDigest(this.keys, meta.signature);
        return { index: MirrorIndex.fromImage(image), meta, organisations: new Map(meta.organisations) };
      });
      this.index = index;
      this.organisations = organisations;
      this.position = meta.cursor;
      this.snapshotSignature = meta.signature;
      this.loadedFrom = 'image';
      this.refusal = null;
      return true;
    } catch (error) {
      if (!(error instanceof ImageError || error instanceof SignatureError || (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
      this.refusal = (error as Error).message;
      return false;
    }
  }

  /** Replaces the whole index with a snapshot document, once it verifies. */
  async loadSnapshot(source: Source): Promise<DocumentHeader> {
    const staged = new MirrorIndex();
    const organisations = new Map<string, string>();
    const { header, signature } = await feed(
      new DocumentVerifier(this.keys, (value, h) => {
        if (h.kind !== 'snapshot') throw new SignatureError(`expected a snapshot, got a ${h.kind} document`);
        const entry = value as SignalEntry;
        // The header is not verified yet, so its count only sizes the tables, and only up to a bound.
        if (staged.size === 0 && Number.isSafeInteger(h.count)) staged.reserve(Math.min(h.count, MAX_RESERVED));
        for (const o of entry.organisations) organisations.set(o.id, o.name);
        staged.addSignal(entry);
      }),
      source,
    );
    staged.settle();
    this.index = staged;
    this.organisations = organisations;
    this.position = header.cursor;
    this.snapshotSignature = signature;
    this.loadedFrom = 'snapshot';
    return header;
  }

  /** Applies one change batch, once it verifies; it must start where this copy stands. */
  async applyChanges(source: Source): Promise<DocumentHeader> {
    const changes: SignalChange[] = [];
    const { header } = await feed(
      new DocumentVerifier(this.keys, (value, h) => {
        if (h.kind !== 'changes') throw new SignatureError(`expected a change batch, got a ${h.kind} document`);
        changes.push(value as SignalChange);
      }),
      source,
    );
    if (header.kind !== 'changes' || header.after !== this.position) {
      throw new Error(`this change batch starts after cursor ${header.kind === 'changes' ? header.after : '?'}, but the local copy is at ${this.position}`);
    }
    for (const change of changes) {
      if (change.op === 'upsert') {
        for (const o of change.entry.organisations) this.organisations.set(o.id, o.name);
        this.index.addSignal(change.entry);
      } else this.index.remove(change.id);
    }
    this.index.settle();
    this.position = header.cursor;
    this.snapshotSignature = null;
    return header;
  }

  has(entryId: string): boolean {
    return this.index.has(entryId);
  }

  /** The best matches of a profile, most likely first; the same scoring as PAX's `screenAccount`. */
  screen(profile: ScreeningSubject, options: ScreenOptions = {}): SignalMatch[] {
    return this.index.screen(profile, { limit: 5, minProbability: 0.2, ...options }).map((m) => ({
      entryId: m.account.id,
      probability: m.probability,
      verdict: m.verdict,
      signals: m.signals.map((s) => s.text),
      removedAccount: {
        platform: m.account.platform,
        handle: m.account.handle,
        displayName: m.account.displayName ?? null,
        organisations: (m.account.organisationIds ?? []).flatMap((id) => this.organisations.get(id) ?? []),
        removedAt: m.account.removedAt.toISOString(),
      },
    }));
  }
}
