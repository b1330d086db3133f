import fs from 'node:fs';
import v8 from 'node:v8';
import zlib from 'node:zlib';

/**
 * A built mirror index written to a file and read back, so that a matcher restarting over the same
 * snapshot does not build it again. Building a million accounts from the feed's JSON costs most of
 * the load; the image holds the built tables as they sit in memory (typed arrays, read straight into
 * place) and the entries through V8's serializer.
 *
 * Layout: a first line naming the format, a line with the CRC-32 of the next, a JSON header line
 * (what the image was built from, and each section's name, type, length and CRC-32), then the
 * sections' bytes, each padded to 8 bytes. Sections are read back by name in the order they were
 * written, so an image from a build whose tables differ fails with an `ImageError` instead of
 * filling the wrong arrays. The CRCs catch a damaged file; they are not a signature: the image is
 * trusted local storage, like the pinned keys beside it.
 */
export const IMAGE_FORMAT = 'pax-index-image/3';

/** A header longer than this is not read: the file is not an image, or it is damaged. */
const MAX_HEADER = 16 << 20;
/** Bytes per write or read call: one call is limited to 2 GiB. */
const CHUNK = 1 << 30;

type TypedArray = Int32Array | Uint32Array | Uint8Array | Float64Array;
const TYPES = { Int32Array, Uint32Array, Uint8Array, Float64Array } as const;
type TypeName = keyof typeof TYPES;

interface SectionHeader {
  name: string;
  type: TypeName | 'value';
  length: number;
  crc32: number;
}

interface ImageHeader<M> {
  format: typeof IMAGE_FORMAT;
  meta: M;
  sections: SectionHeader[];
}

export class ImageError extends Error {}

const padding = (bytes: number) => (8 - (bytes % 8)) % 8;
const bytesOf = (array: TypedArray) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

/** Collects the sections of an image in the order a structure writes them, then writes the file. */
export class ImageWriter {
  private readonly sections: { header: SectionHeader; bytes: Buffer }[] = [];

  array(name: string, array: TypedArray): void {
    const bytes = bytesOf(array);
    this.sections.push({ header: { name, type: array.constructor.name as TypeName, length: array.length, crc32: zlib.crc32(bytes) }, bytes });
  }

  /** Anything V8's serializer takes; objects referenced twice within one value stay one object. */
  value(name: string, value: unknown): void {
    const bytes = v8.serialize(value);
    this.sections.push({ header: { name, type: 'value', length: bytes.length, crc32: zlib.crc32(bytes) }, bytes });
  }

  /**
   * Writes the image to `file` through a temporary file and a rename, so a reader never meets half
   * an image; a failed write leaves no file behind.
   */
  write<M>(file: string, meta: M): void {
    const json = Buffer.from(JSON.stringify({ format: IMAGE_FORMAT, meta, sections: this.sections.map((s) => s.header) } satisfies ImageHeader<M>));
    const head = Buffer.concat([Buffer.from(`${IMAGE_FORMAT}\n${zlib.crc32(json)}\n`), json, Buffer.from('\n')]);
    const temporary = `${file}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    let written = false;
    try {
      let position = 0;
      for (const bytes of [head, ...this.sections.map((s) => s.bytes)]) {
        for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, Math.min(bytes.length - done, CHUNK), position + done);
        position += bytes.length + padding(bytes.length);
      }
      fs.ftruncateSync(fd, position);
      fs.fsyncSync(fd);
      written = true;
    } finally {
      fs.closeSync(fd);
      if (!written) fs.rmSync(temporary, { force: true });
    }
    fs.renameSync(temporary, file);
  }
}

/** Reads an image's sections one by one, each into an array of its own, checking name, type and CRC. */
export class ImageReader<M = unknown> {
  readonly meta: M;
  private readonly sections: SectionHeader[];
  private next = 0;
  private position: number;

  private constructor(
    private readonly fd: number,
    header: ImageHeader<M>,
    start: number,
  ) {
    this.meta = header.meta;
    this.sections = header.sections;
    this.position = start;
  }

  /**
   * Opens an image, hands it to `use` to read its sections in order, and closes it; an image with
   * sections `use` did not read is from another layout and refused.
   */
  static read<M, T>(file: string, use: (image: ImageReader<M>) => T): T {
    const fd = fs.openSync(file, 'r');
    try {
      const image = new ImageReader<M>(fd, ...ImageReader.header<M>(fd));
      const result = use(image);
      if (image.next !== image.sections.length) throw new ImageError(`the image holds ${image.sections.length - image.next} sections this version does not read`);
      return result;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The header and where the sections start; anything but a whole, undamaged header of this format is an `ImageError`. */
  private static header<M>(fd: number): [ImageHeader<M>, number] {
    let head = Buffer.alloc(1 << 16);
    let read = fs.readSync(fd, head, 0, head.length, 0);
    if (head.toString('utf8', 0, head.indexOf(10)) !== IMAGE_FORMAT) {
      throw new ImageError(`not a ${IMAGE_FORMAT} file (an image from another version of PAX is built again)`);
    }
    const first = head.indexOf(10);
    const second = head.indexOf(10, first + 1);
    let third = second < 0 ? -1 : head.indexOf(10, second + 1);
    while (third < 0 && read === head.length && head.length < MAX_HEADER) {
      const longer = Buffer.alloc(head.length * 4);
      head.copy(longer);
      read += fs.readSync(fd, longer, read, longer.length - read, read);
      head = longer;
      third = second < 0 ? -1 : head.indexOf(10, second + 1);
    }
    const json = third < 0 ? null : head.subarray(second + 1, third);
    if (!json || Number(head.toString('utf8', first + 1, second)) !== zlib.crc32(json)) throw new ImageError("the image's header is truncated or damaged");
    const header = JSON.parse(json.toString('utf8')) as ImageHeader<M>;
    const known = (type: unknown) => type === 'value' || Object.prototype.hasOwnProperty.call(TYPES, type as string);
    if (!Array.isArray(header.sections) || !header.sections.every((s) => typeof s.name === 'string' && known(s.type) && Number.isSafeInteger(s.length) && s.length >= 0)) {
      throw new ImageError("the image's header lists a section this version cannot read");
    }
    return [header, third + 1 + padding(third + 1)];
  }

  array<T extends TypeName>(name: string, type: T): InstanceType<(typeof TYPES)[T]> {
    const section = this.take(name, type);
    const array = new TYPES[type](section.length) as InstanceType<(typeof TYPES)[T]>;
    this.fill(section, bytesOf(array));
    return array;
  }

  value<V>(name: string): V {
    const section = this.take(name, 'value');
    const bytes = Buffer.allocUnsafe(section.length);
    this.fill(section, bytes);
    try {
      return v8.deserialize(bytes) as V;
    } catch (error) {
      throw new ImageError(`the image's section ${section.name} cannot be read by this version of Node: ${(error as Error).message}`);
    }
  }

  private take(name: string, type: SectionHeader['type']): SectionHeader {
    const section = this.sections[this.next++];
    if (!section || section.name !== name || section.type !== type) {
      throw new ImageError(`the image's section ${this.next} is ${section ? `${section.name} (${section.type})` : 'missing'}, this version reads ${name} (${type})`);
    }
    return section;
  }

  private fill(section: SectionHeader, into: Buffer): void {
    for (let done = 0; done < into.length; ) {
      const read = fs.readSync(this.fd, into, done, Math.min(into.length - done, CHUNK), this.position + done);
      if (read === 0) throw new ImageError(`the image ends inside section ${section.name}: it is truncated`);
      done += read;
    }
    if (zlib.crc32(into) !== section.crc32) throw new ImageError(`the image's section ${section.name} fails its CRC: the file is damaged`);
    this.position += into.length + padding(into.length);
  }
}
