import { createPubSub, PubSub } from '@graphql-yoga/subscription';
import { Platform } from '../common/enums';
import { DeadlineLevel, TakedownStatus } from '../modules/takedowns/takedown.enums';

/**
 * What travels on the bus: ids only. Each subscriber re-reads the objects through the access
 * policy at delivery time, so an event never carries data its subscriber may not see.
 */
export interface TakedownStatusChangedEvent {
  requestId: string;
  entryId: string;
  platform: Platform;
  status: TakedownStatus;
}

export interface MirrorAlertRaisedEvent {
  alertId: string;
  platform: Platform;
}

export interface DisclosureChangedEvent {
  disclosureId: string;
  /** The history entry of a status change; null for a user-notification prompt. */
  entryId: string | null;
  kind: 'STATUS_CHANGED' | 'USER_NOTIFICATION_DUE';
}

export interface PreservationExpiringEvent {
  disclosureId: string;
  expiresAt: string;
}

export interface TakedownOverdueEvent {
  requestId: string;
  level: DeadlineLevel;
  deadlineAt: string;
}

/** A takedown request flagged for its agency's review (its organisation was de-listed). */
export interface TakedownReviewFlaggedEvent {
  requestId: string;
  flagId: string;
}

export type PaxTopics = {
  TAKEDOWN_OVERDUE: [TakedownOverdueEvent];
  DISCLOSURE_CHANGED: [DisclosureChangedEvent];
  PRESERVATION_EXPIRING: [PreservationExpiringEvent];
  TAKEDOWN_STATUS_CHANGED: [TakedownStatusChangedEvent];
  MIRROR_ALERT_RAISED: [MirrorAlertRaisedEvent];
  TAKEDOWN_REVIEW_FLAGGED: [TakedownReviewFlaggedEvent];
};

/** The pub/sub port. In-memory by default; a Redis event target spans instances. */
export type EventBus = PubSub<PaxTopics>;

export function createInMemoryEventBus(): EventBus {
  return createPubSub<PaxTopics>();
}
