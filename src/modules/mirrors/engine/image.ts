import fs from 'node:fs';
import v8 from 'node:v8';
import zlib from 'node:zlib';

/**
 * A built mirror index written to a file and read back, so that a matcher restarting over the same
 * snapshot does not build it again. Building a million accounts from the feed's JSON costs most of
 * the load; the image holds the built tables as they sit in memory (typed arrays, read straight into
 * place) and the entries through V8's serializer.
 *
 * Layout: a first line naming the format, a JSON header line (what the image was built from, and
 * each section's name, type, length and CRC-32), then the sections' bytes, each padded to 8 bytes.
 * Sections are read back by name in the order they were written, so an image from a build whose
 * tables differ fails with an `ImageError` instead of filling the wrong arrays. The CRC catches a
 * damaged file; it is not a signature: the image is trusted local storage, like the pinned keys
 * beside it.
 */
export const IMAGE_FORMAT = 'pax-index-image/2';

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

  /** Writes the image to `file` through a temporary file and a rename, so a reader never meets half an image. */
  write<M>(file: string, meta: M): void {
    const header: ImageHeader<M> = { format: IMAGE_FORMAT, meta, sections: this.sections.map((s) => s.header) };
    const temporary = `${file}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeSync(fd, `${IMAGE_FORMAT}\n${JSON.stringify(header)}\n`);
      const head = Buffer.byteLength(`${IMAGE_FORMAT}\n${JSON.stringify(header)}\n`);
      fs.writeSync(fd, Buffer.alloc(padding(head)));
      for (const { bytes } of this.sections) {
        fs.writeSync(fd, bytes);
        fs.writeSync(fd, Buffer.alloc(padding(bytes.length)));
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
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

  private static header<M>(fd: number): [ImageHeader<M>, number] {
    const start = Buffer.alloc(1 << 16);
    const read = fs.readSync(fd, start, 0, start.length, 0);
    const first = start.indexOf(10);
    const second = start.indexOf(10, first + 1);
    if (first < 0 || start.toString('utf8', 0, first) !== IMAGE_FORMAT || second < 0 || second >= read) {
      throw new ImageError(`not a ${IMAGE_FORMAT} file (an image from another version of PAX is built again)`);
    }
    try {
      return [JSON.parse(start.toString('utf8', first + 1, second)) as ImageHeader<M>, second + 1 + padding(second + 1)];
    } catch (error) {
      throw new ImageError(`the image's header is damaged: ${(error as Error).message}`);
    }
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
    return v8.deserialize(bytes) as V;
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
      const read = fs.readSync(this.fd, into, done, Math.min(into.length - done, 1 << 30), this.position + done);
      if (read === 0) throw new ImageError(`the image ends inside section ${section.name}: it is truncated`);
      done += read;
    }
    if (zlib.crc32(into) !== section.crc32) throw new ImageError(`the image's section ${section.name} fails its CRC: the file is damaged`);
    this.position += into.length + padding(into.length);
  }
}
