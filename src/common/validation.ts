import { setImmediate as nextTurn } from 'node:timers/promises';
import { validate, ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

const SLICE = 20;

/**
 * Validates the items of a large input list (a thousand screened profiles) with their own
 * class-validator rules, a slice at a time, yielding to the event loop between slices: validating
 * the whole list at once held every other request for up to a second. Failures read like
 * TypeGraphQL's own (`accounts.3.handle: …`).
 */
export async function validateInSlices(items: object[], field: string): Promise<void> {
  const failed: ValidationError[] = [];
  for (let start = 0; start < items.length; start += SLICE) {
    for (const [offset, item] of items.slice(start, start + SLICE).entries()) {
      const errors = await validate(item, { forbidUnknownValues: false });
      if (errors.length) failed.push(Object.assign(new ValidationError(), { property: String(start + offset), children: errors }));
    }
    await nextTurn();
  }
  if (failed.length) throw new ArgumentValidationError([Object.assign(new ValidationError(), { property: field, children: failed })]);
}
