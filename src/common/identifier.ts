import { registerDecorator, ValidationArguments } from 'class-validator';

/**
 * Unicode Cc (C0, DEL, C1) and the bidi controls (ALM, LRM, RLM, LRE…RLO, LRI…PDI). In an
 * identifier they hide or reorder what a reviewer reads: `abc\u202Eexe` shows as `abcexe` reversed,
 * and a NUL or newline breaks exports, logs and exact matching.
 */
const HIDDEN = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export interface IdentifierRule {
  /** Shortest length after trimming; 1 unless said otherwise. */
  min?: number;
  max: number;
}

export type IdentifierCheck = { ok: true; value: string } | { ok: false; problem: string };

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * An identifier (handle, slug, legal instrument, case reference, idempotency key…) as PAX stores
 * it: refused if it holds a control or bidi character anywhere, then trimmed, then length-checked,
 * so that a value of spaces is refused rather than stored empty.
 */
export function checkIdentifier(value: unknown, { min = 1, max }: IdentifierRule): IdentifierCheck {
  if (typeof value !== 'string') return { ok: false, problem: 'must be a string' };
  const hidden = HIDDEN.exec(value);
  if (hidden) return { ok: false, problem: `must not contain control or bidi characters (found ${codePoint(hidden[0])})` };
  const trimmed = value.trim();
  if (trimmed.length === 0) return { ok: false, problem: 'must not be empty or blank' };
  if (trimmed.length < min || trimmed.length > max) return { ok: false, problem: `must be ${min} to ${max} characters long after trimming` };
  return { ok: true, value: trimmed };
}

/**
 * Marks an input field as an identifier (see `checkIdentifier`). A valid value is replaced by its
 * trimmed form: TypeGraphQL has no input transforms, and the validator is the one step that sees
 * every input before a resolver does.
 */
export function Identifier(rule: IdentifierRule): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'identifier',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const checked = checkIdentifier(value, rule);
          if (checked.ok) (args.object as Record<string, unknown>)[args.property] = checked.value;
          return checked.ok;
        },
        defaultMessage(args: ValidationArguments) {
          const checked = checkIdentifier(args.value, rule);
          return `${args.property} ${checked.ok ? 'is not a valid identifier' : checked.problem}`;
        },
      },
    });
  };
}
