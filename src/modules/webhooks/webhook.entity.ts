import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Platform } from '../../common/enums';
import { TakedownStatus } from '../takedowns/takedown.enums';
import type { SealedPayload } from '../disclosures/sealing';
import type { PaxTopics } from '../../events/event-bus';

/** The bus topics a partner system can receive by webhook; the names are the bus's own. */
export enum WebhookEventType {
  TAKEDOWN_STATUS_CHANGED = 'TAKEDOWN_STATUS_CHANGED',
  TAKEDOWN_OVERDUE = 'TAKEDOWN_OVERDUE',
  MIRROR_ALERT_RAISED = 'MIRROR_ALERT_RAISED',
  DISCLOSURE_CHANGED = 'DISCLOSURE_CHANGED',
  PRESERVATION_EXPIRING = 'PRESERVATION_EXPIRING',
}
registerEnumType(WebhookEventType, { name: 'WebhookEventType' });

/** A webhook event type as the bus names its topic. */
export type WebhookTopic = `${WebhookEventType}` & keyof PaxTopics;

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  /** A delivery ran out of retries; new events are kept as FAILED until the partner redelivers. */
  FAILING = 'FAILING',
}
registerEnumType(WebhookEndpointStatus, { name: 'WebhookEndpointStatus' });

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

/** Narrows what an endpoint receives, before the visibility check. */
@ObjectType()
export class WebhookFilter {
  @Field(() => [Platform], { nullable: true, description: 'Only events about these platforms.' })
  platforms?: Platform[] | null;

  @Field(() => [TakedownStatus], { nullable: true, description: 'TAKEDOWN_STATUS_CHANGED only: the statuses reached that are sent.' })
  statuses?: TakedownStatus[] | null;
}

/** A partner system's HTTPS callback. The signing secret is sealed like disclosures. */
@Entity('webhook_endpoints')
@Index(['partnerId'])
@ObjectType()
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  partnerId: string;

  @Field()
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Field(() => [WebhookEventType])
  @Column({ type: 'simple-json' })
  eventTypes: WebhookEventType[];

  @Field(() => WebhookFilter, { nullable: true })
  @Column({ type: 'simple-json', nullable: true })
  filter: WebhookFilter | null;

  @Field(() => WebhookEndpointStatus)
  @Column({ type: 'varchar', length: 16 })
  status: WebhookEndpointStatus;

  @Column({ type: 'simple-json' })
  secret: SealedPayload;

  /** Still signs beside the new secret until `previousSecretUntil`, so receivers can switch over. */
  @Column({ type: 'simple-json', nullable: true })
  previousSecret: SealedPayload | null;

  @Field(() => Date, { nullable: true, description: 'Until then deliveries carry a second signature, made with the secret before the last rotation.' })
  @Column({ type: Date, nullable: true })
  previousSecretUntil: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  failingSince: Date | null;

  @Column({ type: 'varchar', length: 200 })
  createdBySub: string;

  @Field()
  @Column({ type: Date })
  createdAt: Date;

  @Field()
  @Column({ type: Date })
  updatedAt: Date;
}

/**
 * The outbox: one row per event, written in the transaction of the change that causes it. It holds
 * what the bus carries (ids only) and the version the change gave the object.
 */
@Entity('webhook_events')
@Index(['fannedOut', 'createdAt'])
export class WebhookEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  topic: WebhookEventType;

  @Column({ type: 'simple-json' })
  body: Record<string, unknown>;

  @Column({ type: 'varchar', length: 36 })
  objectId: string;

  @Column({ type: 'integer' })
  objectVersion: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  platform: Platform | null;

  @Column({ type: 'boolean' })
  fannedOut: boolean;

  @Column({ type: Date })
  createdAt: Date;
}

/** One event for one endpoint, and how its attempts went. */
@Entity('webhook_deliveries')
@Index(['status', 'nextAttemptAt'])
@Index(['endpointId', 'status', 'createdAt'])
@Index(['eventId', 'endpointId'], { unique: true })
@ObjectType()
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Field(() => ID, { description: 'The event id, also sent as `webhook-id`; the same on every retry.' })
  @Column({ type: 'varchar', length: 36 })
  eventId: string;

  @Field(() => ID)
  @Column({ type: 'varchar', length: 36 })
  endpointId: string;

  @Field(() => WebhookEventType)
  @Column({ type: 'varchar', length: 40 })
  eventType: WebhookEventType;

  @Field(() => ID, { description: 'The object the event is about.' })
  @Column({ type: 'varchar', length: 36 })
  objectId: string;

  @Field(() => Int, { description: "The object's version after the change." })
  @Column({ type: 'integer' })
  objectVersion: number;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'varchar', length: 16 })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'integer' })
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due, while PENDING.' })
  @Column({ type: Date })
  nextAttemptAt: Date;

  /** The start of the current retry window: the first attempt, or the last redelivery. */
  @Column({ type: Date })
  retryingSince: Date;

  /** A worker that claimed the delivery holds it until then; after a crash another takes it over. */
  @Column({ type: Date, nullable: true })
  leaseUntil: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last attempt; null when it got no answer.' })
  @Column({ type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: Date, nullable: true })
  deliveredAt: Date | null;

  @Field()
  @Column({ type: Date })
  createdAt: Date;
}
