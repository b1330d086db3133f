import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';
import { isId } from './ids';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size: ${DEFAULT_PAGE_SIZE} by default, ${MAX_PAGE_SIZE} at most.` })
  @IsOptional()
  @Min(0)
  @Max(MAX_PAGE_SIZE, { message: `first must be at most ${MAX_PAGE_SIZE}` })
  first?: number;

  @Field({ nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay connection type for `itemClass`, named `<name>Connection` with `<name>Edge` edges. */
export function ConnectionType<T extends object>(itemClass: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => itemClass)
    node: T;
  }

  @ObjectType(`${name}ConnectionBase`)
  abstract class ConnectionBase implements Connection<T> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [itemClass])
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items match the filter that the caller may see, across all pages.' })
    totalCount: number;
  }
  return ConnectionBase;
}

const encodeCursor = (id: string) => Buffer.from(`v1:${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const id = decoded.startsWith('v1:') ? decoded.slice(3) : '';
  if (!isId(id)) throw badInput('after is not a cursor that this list returned');
  return id;
}

/**
 * Keyset pagination, newest first, over a query that the access policy has already scoped, so
 * `totalCount` and every page count only what the caller may see. Ids are time-ordered UUIDv7.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  page: PageArgs,
): Promise<Connection<T>> {
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const totalCount = await query.clone().getCount();
  const windowed = query.clone().orderBy(`${alias}.id`, 'DESC').limit(first + 1);
  if (page.after) windowed.andWhere(`${alias}.id < :afterCursor`, { afterCursor: decodeCursor(page.after) });
  const rows = first === 0 ? [] : await windowed.getMany();
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes,
    totalCount,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
