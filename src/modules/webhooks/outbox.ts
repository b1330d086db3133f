import { EntityManager } from 'typeorm';
import { newId } from '../../common/ids';
import { Platform } from '../../common/enums';
import { PaxTopics } from '../../events/event-bus';
import { WebhookEvent, WebhookEventType, WebhookTopic } from './webhook.entity';

/** What the outbox row records about the object besides the bus event. */
export interface OutboxSubject {
  objectId: string;
  objectVersion: number;
  platform?: Platform | null;
}

/**
 * Writes webhook events in the caller's transaction, so they commit or roll back with the change
 * that causes them; the delivery worker sends them later, however the process ends meanwhile.
 * Several events of one topic (a screening batch's alerts) go in one multi-row insert.
 */
export async function recordWebhookEvents<T extends WebhookTopic>(em: EntityManager, topic: T, events: { body: PaxTopics[T][0]; subject: OutboxSubject }[]): Promise<void> {
  if (!events.length) return;
  await em.insert(
    WebhookEvent,
    events.map(({ body, subject }) => ({
      id: newId(),
      topic: topic as WebhookEventType,
      body: body as never,
      objectId: subject.objectId,
      objectVersion: subject.objectVersion,
      platform: subject.platform ?? null,
      fannedOut: false,
      createdAt: new Date(),
    })),
  );
}

export function recordWebhookEvent<T extends WebhookTopic>(em: EntityManager, topic: T, body: PaxTopics[T][0], subject: OutboxSubject): Promise<void> {
  return recordWebhookEvents(em, topic, [{ body, subject }]);
}
