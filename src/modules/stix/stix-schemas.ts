import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { TAKEDOWN_TYPE } from './stix-model';

/** `schemas/` at the repository root: OASIS's STIX 2.1 schemas in stix2.1/, PAX's own in pax/. */
function schemaRoot(): string {
  // Walks up, because the compiled module sits one level deeper (dist/src/…) than its source.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'stix2.1'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`schemas/stix2.1 not found above ${__dirname}`);
  }
}

/** The JSON schema of PAX's takedown-request extension, as published at TAKEDOWN_SCHEMA_PATH. */
export const takedownSchemaText = (): string => fs.readFileSync(path.join(schemaRoot(), 'pax', `${TAKEDOWN_TYPE}.json`), 'utf8');

/** Files under common/ that define an object type of their own. */
const TYPED_COMMON = ['marking-definition.json', 'extension-definition.json', 'language-content.json'];

const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

export interface StixValidation {
  valid: boolean;
  /** Readable problems, each naming the JSON path inside the object. */
  problems: string[];
}

/**
 * The OASIS schemas, compiled once. Objects are checked against their own type's schema where
 * OASIS has one, and against the common core otherwise (custom types, such as PAX's takedown
 * request, are allowed by STIX and only the core can be checked for them).
 */
export class StixSchemas {
  private readonly ajv: Ajv2020;
  private readonly byType = new Map<string, ValidateFunction>();
  private readonly takedown: ValidateFunction;

  private constructor() {
    // The OASIS files are written for non-strict validators: keywords beside `$ref`, and patterns
    // such as `\-` that are valid only without the regular expressions' unicode flag.
    this.ajv = new Ajv2020({ strict: false, unicodeRegExp: false });
    addFormats(this.ajv);
    // domain-name's value: ajv-formats has no IDN check, and PAX never reads domain names.
    this.ajv.addFormat('idn-hostname', true);
    const root = path.join(schemaRoot(), 'stix2.1');
    const typed: [string, string][] = [];
    for (const folder of ['common', 'sdos', 'sros', 'observables']) {
      for (const file of fs.readdirSync(path.join(root, folder)).filter((f) => f.endsWith('.json'))) {
        const schema = JSON.parse(fs.readFileSync(path.join(root, folder, file), 'utf8')) as { $id: string };
        this.ajv.addSchema(schema);
        if (folder !== 'common' || TYPED_COMMON.includes(file)) typed.push([file.replace(/\.json$/, ''), schema.$id]);
      }
    }
    // Compiled only once every file is known, since they refer to each other.
    for (const [type, id] of typed) this.byType.set(type, this.ajv.getSchema(id)!);
    this.takedown = this.ajv.compile(JSON.parse(takedownSchemaText()));
  }

  private static instance: StixSchemas | undefined;

  static get(): StixSchemas {
    return (StixSchemas.instance ??= new StixSchemas());
  }

  private check(validate: ValidateFunction, value: unknown): StixValidation {
    const valid = validate(value) as boolean;
    return { valid, problems: valid ? [] : describe(validate.errors ?? []) };
  }

  /** The bundle's own properties (type, id), against OASIS's bundle schema. */
  envelope(value: Record<string, unknown>): StixValidation {
    const { objects: _objects, ...envelope } = value;
    return this.check(this.ajv.getSchema(`${BASE}common/bundle.json`)!, envelope);
  }

  /**
   * A whole bundle. OASIS's bundle schema judges the types it lists. It cannot judge custom
   * objects: its branch for them wants exactly one of core.json and cyber-observable-core.json to
   * match, and a valid custom SDO matches both, so that branch refuses every custom SDO, and every
   * extension-definition, which the list leaves out. Those are checked one by one, as all are.
   */
  bundle(value: Record<string, unknown>): StixValidation {
    const objects = Array.isArray(value.objects) ? (value.objects as { type?: unknown }[]) : [];
    const listed = objects.filter((o) => typeof o?.type === 'string' && this.byType.has(o.type) && o.type !== 'extension-definition');
    const whole = this.check(this.ajv.getSchema(`${BASE}common/bundle.json`)!, { ...value, ...(listed.length ? { objects: listed } : { objects: undefined }) });
    if (!whole.valid) return whole;
    const problems = objects.flatMap((o, i) => this.object(o).problems.map((p) => `/objects/${i}${p === '/' ? '' : p}`));
    return { valid: problems.length === 0, problems };
  }

  /**
   * One object, against its type's schema, or the core for a type OASIS does not define; PAX's
   * takedown request also against the schema its extension publishes.
   */
  object(value: unknown): StixValidation {
    const type = (value as { type?: unknown } | null)?.type;
    const own = typeof type === 'string' ? this.byType.get(type) : undefined;
    const result = this.check(own ?? this.ajv.getSchema(`${BASE}common/core.json`)!, value);
    return result.valid && type === TAKEDOWN_TYPE ? this.check(this.takedown, value) : result;
  }
}

const describe = (errors: ErrorObject[]) =>
  errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
