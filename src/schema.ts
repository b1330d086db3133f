import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { assertEveryOperationGuarded, authChecker } from './access/guard';
import { EventBus } from './events/event-bus';
import { AccountResolver } from './modules/accounts/account.resolver';
import { OrganisationResolver } from './modules/organisations/organisation.resolver';
import { PartnerResolver } from './modules/partners/partner.resolver';
import { ReviewFlagResolver, StatusHistoryEntryResolver, TakedownResolver } from './modules/takedowns/takedown.resolver';
import { MirrorResolver } from './modules/mirrors/mirror.resolver';

import { EvidenceAccessResolver, EvidenceResolver } from './modules/evidence/evidence.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { ComplaintResolver } from './modules/complaints/complaint.resolver';
import { TransparencyResolver } from './modules/reports/transparency.resolver';
import { auditRootFields } from './modules/audit/audit.middleware';
import { WebhookResolver } from './modules/webhooks/webhook.resolver';
import { SignalResolver } from './modules/signals/signal.resolver';
import { StixResolver } from './modules/stix/stix.resolver';
import { DesignationImportResolver } from './modules/designations/designation-import.resolver';
import { DisclosureHistoryEntryResolver, DisclosureOpeningResolver, DisclosureResolver } from './modules/disclosures/disclosure.resolver';

export const RESOLVERS = [
  PartnerResolver,
  OrganisationResolver,
  AccountResolver,
  TakedownResolver,
  StatusHistoryEntryResolver,
  ReviewFlagResolver,
  MirrorResolver,
  EvidenceResolver,
  EvidenceAccessResolver,
  DisclosureResolver,
  DisclosureHistoryEntryResolver,
  DisclosureOpeningResolver,
  AuditResolver,
  ComplaintResolver,
  TransparencyResolver,
  WebhookResolver,
  SignalResolver,
  StixResolver,
  DesignationImportResolver,
] as const;

/**
 * Builds the schema from the resolver classes, after the start-up guard, with every root field
 * audited. Subscriptions read the event bus through their context; `events` only satisfies
 * TypeGraphQL's own check.
 */
export async function buildPaxSchema(events: EventBus, resolvers: readonly Function[] = RESOLVERS): Promise<GraphQLSchema> {
  assertEveryOperationGuarded(resolvers);
  const schema = await buildSchema({
    resolvers: resolvers as unknown as [Function, ...Function[]],
    authChecker,
    pubSub: events,
    validate: { forbidUnknownValues: false },
  });
  return auditRootFields(schema);
}

/** The SDL committed as schema/schema.graphql; sorted so that it diffs cleanly. */
export function printPaxSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
