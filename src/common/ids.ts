import { v7 as uuidv7, validate as isUuid } from 'uuid';

/**
 * Ids are UUIDv7: time-ordered, so ordering by id is ordering by creation and keyset pagination
 * needs no timestamp comparison (which SQLite and PostgreSQL store differently).
 */
export const newId = (): string => uuidv7();

export const isId = (value: string): boolean => isUuid(value);
