import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import { Query, Resolver } from 'type-graphql';
import { createInMemoryEventBus } from '../src/events/event-bus';
import { buildPaxSchema, printPaxSchema, RESOLVERS } from '../src/schema';

@Resolver()
class ForgottenGuardResolver {
  @Query(() => String)
  leak(): string {
    return 'anything';
  }
}

describe('the schema', () => {
  it('matches schema/schema.graphql; run `npm run schema:print` after changing the API', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    expect(printPaxSchema(await buildPaxSchema(createInMemoryEventBus()))).toBe(committed);
  });

  it('refuses to build when an operation has neither @Authorized nor @Public', async () => {
    await expect(buildPaxSchema(createInMemoryEventBus(), [...RESOLVERS, ForgottenGuardResolver])).rejects.toThrow(
      'ForgottenGuardResolver.leak lack @Authorized(...) or @Public()',
    );
  });

  it('keeps the contract names', async () => {
    const schema = await buildPaxSchema(createInMemoryEventBus());
    const args = (type: 'Query' | 'Mutation' | 'Subscription', field: string) =>
      schema.getType(type) && (schema.getType(type) as GraphQLObjectType).getFields()[field]?.args.map((a) => a.name).sort();
    const connection = ['after', 'filter', 'first'];
    expect(args('Query', 'me')).toEqual([]);
    for (const list of ['organisations', 'accounts', 'takedownRequests']) expect(args('Query', list)).toEqual(connection);
    for (const one of ['organisation', 'account', 'takedownRequest']) expect(args('Query', one)).toEqual(['id']);
    for (const mutation of ['designateOrganisation', 'flagAccount', 'createTakedownRequest', 'updateTakedownStatus']) {
      expect(args('Mutation', mutation)).toEqual(['input']);
    }
    expect(args('Subscription', 'takedownStatusChanged')).toEqual(['filter']);
    const inputFields = (name: string) => Object.keys((schema.getType(name) as GraphQLInputObjectType).getFields());
    expect(inputFields('FlagAccountInput')).toEqual(expect.arrayContaining(
      ['platform', 'handle', 'platformAccountId', 'displayName', 'url', 'bio', 'organisationIds', 'distribution', 'internalNotes', 'evidence']));
    expect(inputFields('CreateTakedownRequestInput')).toEqual(expect.arrayContaining(
      ['accountIds', 'kind', 'priority', 'legalBasis', 'reasons', 'organisationIds', 'distribution', 'internalNotes', 'idempotencyKey']));
    expect(inputFields('UpdateTakedownStatusInput')).toEqual(expect.arrayContaining(
      ['id', 'status', 'action', 'reasonCode', 'note', 'noteClassification', 'expectedVersion', 'idempotencyKey']));
    expect(Object.keys((schema.getType('TakedownRequestConnection') as GraphQLObjectType).getFields()).sort()).toEqual(
      ['edges', 'nodes', 'pageInfo', 'totalCount']);
    expect((schema.getType('Platform') as GraphQLEnumType).getValues().map((v) => v.name)).toEqual(
      ['X', 'FACEBOOK', 'INSTAGRAM', 'WHATSAPP', 'TELEGRAM', 'YOUTUBE', 'TIKTOK']);
    expect((schema.getType('Authority') as GraphQLEnumType).getValues().map((v) => v.name)).toEqual(['UN', 'US', 'UK', 'EU', 'PK', 'OTHER']);
  });
});
