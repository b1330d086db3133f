import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { badInput, PaxError } from '../../../common/errors';

/** An element as fast-xml-parser gives it: attributes (no prefix) and children by name. */
export type XmlElement = Record<string, unknown>;

const METADATA = XMLParser.getMetaDataSymbol() as unknown as string;

export interface XmlFormat {
  /** What the file should be, for messages: "a UN Security Council Consolidated List". */
  title: string;
  root: string;
  /** Elements that may repeat, so that one occurrence still parses as a list. */
  repeated: readonly string[];
}

/** A parsed XML file that can say on which line an element starts. */
export class XmlFile {
  private newlines: number[] | null = null;

  constructor(
    private readonly text: string,
    readonly title: string,
  ) {}

  lineOf(element: XmlElement): number | null {
    const start = (element[METADATA] as { startIndex?: number } | undefined)?.startIndex;
    if (start === undefined) return null;
    if (!this.newlines) {
      this.newlines = [];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.newlines.push(i);
    }
    let [low, high] = [0, this.newlines.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.newlines[mid] < start) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  }

  /** A refusal naming the element and its line. */
  refuse(element: XmlElement, name: string, problem: string): PaxError {
    const line = this.lineOf(element);
    return badInput(`not ${this.title}: <${name}>${line ? ` at line ${line}` : ''} ${problem}; nothing was imported`, { element: name, line });
  }

  /** The text of a child element that the schema requires. */
  required(element: XmlElement, name: string, child: string): string {
    const value = textOf(element[child]);
    if (!value) throw this.refuse(element, name, `has no <${child}>`);
    return value;
  }
}

/** Text content, whether the element came as a string or as an object with attributes. */
export function textOf(value: unknown): string | null {
  if (Array.isArray(value)) return textOf(value[0]);
  const text = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as XmlElement)['#text'] : null;
  const trimmed = typeof text === 'string' || typeof text === 'number' ? String(text).trim() : '';
  return trimmed || null;
}

/** The child elements of that name; an empty element (`<ENTITIES/>`) has none. */
export function childrenOf(element: unknown, name: string): XmlElement[] {
  if (!element || typeof element !== 'object') return [];
  const value = (element as XmlElement)[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => (item && typeof item === 'object' ? (item as XmlElement) : { '#text': item }));
}

/**
 * Parses `text` as the format's XML: well-formed (fast-xml-parser's validator gives the line) and
 * rooted where the format says. Namespace prefixes are dropped, values stay strings.
 */
export function readXml(text: string, format: XmlFormat): { file: XmlFile; root: XmlElement } {
  // No published list declares a DOCTYPE; refusing it closes entity expansion and external entities outright.
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype >= 0) {
    const line = lineAt(text, doctype);
    throw badInput(`not ${format.title}: a <!DOCTYPE> declaration at line ${line}; published lists carry none; nothing was imported`, { line });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw badInput(`not well-formed XML, so not ${format.title}: ${msg} (line ${line}, column ${col}); nothing was imported`, { line, column: col });
  }
  const repeated = new Set(format.repeated);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    captureMetaData: true,
    htmlEntities: false,
    processEntities: false,
    isArray: (name) => repeated.has(name),
  });
  let document: XmlElement;
  try {
    document = parser.parse(text) as XmlElement;
  } catch (error) {
    throw unparsable(text, format, error);
  }
  const file = new XmlFile(text, format.title);
  const rootName = Object.keys(document).find((key) => !key.startsWith('?'));
  if (rootName !== format.root) {
    throw badInput(`not ${format.title}: the root element is <${rootName ?? 'none'}>, expected <${format.root}>; nothing was imported`, { element: rootName ?? null, line: 1 });
  }
  const root = document[rootName];
  return { file, root: root && typeof root === 'object' ? (root as XmlElement) : {} };
}

/** The 1-based line of a character offset. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The parser refuses what the validator lets through (names such as `__proto__` or `constructor`,
 * nesting past its limit) with a bare Error; the line is that of the first use of a name it quotes.
 */
function unparsable(text: string, format: XmlFormat, error: unknown): PaxError {
  const reason = error instanceof Error ? error.message.replace(/^\[SECURITY\]\s*/, '') : String(error);
  const name = reason.match(/"([^"]+)"/)?.[1];
  const at = name ? text.search(new RegExp(`[<\\s/]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s=/>]`)) : -1;
  const line = at >= 0 ? lineAt(text, at + 1) : null;
  return badInput(`not ${format.title}: ${reason}${line ? ` (line ${line})` : ''}; nothing was imported`, { line });
}
