import { registerEnumType } from 'type-graphql';

export enum TakedownStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  INFO_REQUESTED = 'INFO_REQUESTED',
  ACTIONED = 'ACTIONED',
  REJECTED = 'REJECTED',
  ESCALATED = 'ESCALATED',
  REINSTATED = 'REINSTATED',
  WITHDRAWN = 'WITHDRAWN',
  CLOSED = 'CLOSED',
}

export enum TakedownKind {
  REFERRAL = 'REFERRAL',
  ORDER = 'ORDER',
}

export enum TakedownPriority {
  STANDARD = 'STANDARD',
  EMERGENCY = 'EMERGENCY',
}

export enum TakedownAction {
  ACCOUNT_SUSPENDED = 'ACCOUNT_SUSPENDED',
  ACCOUNT_TERMINATED = 'ACCOUNT_TERMINATED',
  CONTENT_REMOVED = 'CONTENT_REMOVED',
  GEO_BLOCKED = 'GEO_BLOCKED',
  RESTRICTED = 'RESTRICTED',
}

export enum StatusReasonCode {
  MANIFEST_ERROR = 'MANIFEST_ERROR',
  INSUFFICIENT_INFORMATION = 'INSUFFICIENT_INFORMATION',
  NO_VIOLATION = 'NO_VIOLATION',
  ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND',
  ALREADY_ACTIONED = 'ALREADY_ACTIONED',
  LEGAL_OBJECTION = 'LEGAL_OBJECTION',
}

/** How close a request is to its deadline: half or 90% of the time allowed used, or past it. */
export enum DeadlineLevel {
  WARNING_50 = 'WARNING_50',
  WARNING_90 = 'WARNING_90',
  OVERDUE = 'OVERDUE',
}

registerEnumType(TakedownStatus, { name: 'TakedownStatus' });
registerEnumType(DeadlineLevel, { name: 'DeadlineLevel' });
registerEnumType(TakedownKind, {
  name: 'TakedownKind',
  description: 'REFERRAL is judged against the platform terms; ORDER is legally binding.',
});
registerEnumType(TakedownPriority, { name: 'TakedownPriority' });
registerEnumType(TakedownAction, { name: 'TakedownAction' });
registerEnumType(StatusReasonCode, { name: 'StatusReasonCode' });
