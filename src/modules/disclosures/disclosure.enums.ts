import { registerEnumType } from 'type-graphql';

export enum DisclosureType {
  PRESERVATION = 'PRESERVATION',
  EMERGENCY = 'EMERGENCY',
  LEGAL_PROCESS = 'LEGAL_PROCESS',
}

export enum DataCategory {
  BASIC_SUBSCRIBER = 'BASIC_SUBSCRIBER',
  NON_CONTENT = 'NON_CONTENT',
  CONTENT = 'CONTENT',
}

export enum DisclosureStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  NEEDS_MORE_INFO = 'NEEDS_MORE_INFO',
  PRODUCED_FULL = 'PRODUCED_FULL',
  PRODUCED_PARTIAL = 'PRODUCED_PARTIAL',
  NO_DATA = 'NO_DATA',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum DisclosureRejectionReason {
  OVERBROAD = 'OVERBROAD',
  INVALID_PROCESS = 'INVALID_PROCESS',
  WRONG_JURISDICTION = 'WRONG_JURISDICTION',
  NOT_OUR_SERVICE = 'NOT_OUR_SERVICE',
}

export enum PreservationStatus {
  ACTIVE = 'ACTIVE',
  EXTENDED = 'EXTENDED',
  EXPIRED = 'EXPIRED',
  CONVERTED = 'CONVERTED',
}

export enum UserNotificationStatus {
  PENDING = 'PENDING',
  DELAYED_UNTIL = 'DELAYED_UNTIL',
  SENT = 'SENT',
  WAIVED_EMERGENCY = 'WAIVED_EMERGENCY',
}

registerEnumType(DisclosureType, { name: 'DisclosureType', description: 'PRESERVATION freezes data; EMERGENCY and LEGAL_PROCESS ask for it.' });
registerEnumType(DataCategory, {
  name: 'DataCategory',
  description: 'BASIC_SUBSCRIBER: name, e-mail, phone, sign-up. NON_CONTENT: IP and login logs, device data. CONTENT: messages and posts.',
});
registerEnumType(DisclosureStatus, { name: 'DisclosureStatus' });
registerEnumType(DisclosureRejectionReason, { name: 'DisclosureRejectionReason' });
registerEnumType(PreservationStatus, { name: 'PreservationStatus' });
registerEnumType(UserNotificationStatus, {
  name: 'UserNotificationStatus',
  description: 'Whether the account holder has been told: DELAYED_UNTIL a non-disclosure order ends, or WAIVED_EMERGENCY.',
});
