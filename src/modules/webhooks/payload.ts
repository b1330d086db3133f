import { execute, GraphQLSchema, parse } from 'graphql';
import { Principal, principalFromPartner } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { PartnerKind } from '../../common/enums';
import { PaxTopics } from '../../events/event-bus';
import type { PaxContext } from '../../context';
import type { AuditLog } from '../audit/audit.service';
import type { DisclosureService } from '../disclosures/disclosure.service';
import type { MirrorService } from '../mirrors/mirror.service';
import type { TakedownService } from '../takedowns/takedown.service';
import { PartnerView } from '../partners/partner.types';
import { WebhookEndpoint, WebhookEventType, WebhookTopic } from './webhook.entity';

/**
 * What a payload is read through: the subscriptions' own delivery functions, and the audit log for
 * the sensitive reads. Named here, not taken from the service registry, which builds this module.
 */
export interface EventReaders {
  takedowns: Pick<TakedownService, 'deliver' | 'deliverOverdue'>;
  mirrors: Pick<MirrorService, 'deliver'>;
  disclosures: Pick<DisclosureService, 'deliverChange' | 'deliverExpiring'>;
  audit: Pick<AuditLog, 'flushReads'>;
}

/** The context a payload is rendered in: the field resolvers it runs see the whole registry. */
export type RenderContext = PaxContext & { services: EventReaders };

const PARTNER = 'slug kind';
const ACTOR = `actor { partner { ${PARTNER} } sub }`;

/**
 * For each topic: the subscription field whose selection the webhook sends, and how the object is
 * read for a principal, the very `deliver` function the subscription uses.
 */
const TOPICS: { [T in WebhookTopic]: { document: string; deliver: (services: EventReaders, principal: Principal, event: PaxTopics[T][0]) => Promise<unknown> } } = {
  TAKEDOWN_STATUS_CHANGED: {
    document: `subscription { takedownStatusChanged { request { ...request } entry { id sequence fromStatus toStatus reasonCode action note noteClassification at ${ACTOR} } } }`,
    deliver: (services, principal, event) => services.takedowns.deliver(principal, event),
  },
  TAKEDOWN_OVERDUE: {
    document: 'subscription { takedownOverdue { level deadlineAt request { ...request } } }',
    deliver: (services, principal, event) => services.takedowns.deliverOverdue(principal, event),
  },
  MIRROR_ALERT_RAISED: {
    document: `subscription { mirrorAlertRaised { id platform source status verdict probability signals createdAt draftRequestId
      candidate { platform handle displayName bio links avatarPdq } matched { platform handle displayName organisations removedAt } } }`,
    deliver: (services, principal, event) => services.mirrors.deliver(principal, event),
  },
  DISCLOSURE_CHANGED: {
    document: `subscription { disclosureStatusChanged { kind entry { id sequence fromStatus toStatus note at ${ACTOR} }
      disclosure { id version type status platform categories legalBasis { instrument section } caseReference dataFrom dataTo deadlineAt overdue
        submittedAt updatedAt rejectionReason requestedBy { ${PARTNER} } addressedTo { ${PARTNER} } } } }`,
    deliver: (services, principal, event) => services.disclosures.deliverChange(principal, event),
  },
  PRESERVATION_EXPIRING: {
    document: `subscription { preservationExpiring { expiresAt disclosure { id version type status platform caseReference preservation { status expiresAt extendedAt }
      requestedBy { ${PARTNER} } addressedTo { ${PARTNER} } } } }`,
    deliver: (services, principal, event) => services.disclosures.deliverExpiring(principal, event),
  },
};

const REQUEST = `fragment request on TakedownRequest { id version status kind priority platform legalBasis { instrument section } reasons
  deadlineAt overdue submittedAt createdAt updatedAt distribution internalNotes requestedBy { ${PARTNER} } addressedTo { ${PARTNER} }
  accounts { id platform handle displayName url } }`;

const DOCUMENTS = Object.fromEntries(
  Object.entries(TOPICS).map(([topic, { document }]) => [topic, parse(document.includes('...request') ? `${document}\n${REQUEST}` : document)]),
);

/**
 * The partner's system account as webhooks act for it: the same visibility as a token of that
 * partner with its SYSTEM role, checked again for every event.
 */
export function systemPrincipal(partner: PartnerView, endpoint: WebhookEndpoint): Principal {
  const role = partner.kind === PartnerKind.AGENCY ? Role.AGENCY_SYSTEM : Role.PLATFORM_SYSTEM;
  return principalFromPartner(partner, `webhook:${endpoint.id}`, [role], Number.MAX_SAFE_INTEGER);
}

/**
 * The event as the subscription gives it to this principal: read through the access policy now,
 * then resolved by the schema's own field resolvers, so redaction is the subscription's. Null when
 * the principal may not see it. Sensitive fields revealed are audited as for a subscription.
 */
export async function renderEvent(ctx: RenderContext, schema: GraphQLSchema, topic: WebhookEventType, event: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  const { services } = ctx;
  const deliver = TOPICS[topic].deliver as (services: EventReaders, principal: Principal, event: unknown) => Promise<unknown>;
  const delivered = await deliver(services, ctx.principal!, event);
  if (delivered === null) return null;
  const result = await execute({ schema, document: DOCUMENTS[topic], rootValue: delivered, contextValue: ctx });
  await services.audit.flushReads(ctx);
  if (result.errors?.length) throw new Error(`rendering ${topic}: ${result.errors[0].message}`);
  return result.data as Record<string, unknown>;
}
