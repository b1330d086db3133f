import { Account, AccountOrganisation } from '../modules/accounts/account.entity';
import { EvidenceAccess, EvidenceItem } from '../modules/evidence/evidence.entity';
import { AuditEntry, AuditHead } from '../modules/audit/audit.entity';
import { Complaint } from '../modules/complaints/complaint.entity';
import { DisclosureHistoryEntry, DisclosureOpening, DisclosureProduction, DisclosureRequest } from '../modules/disclosures/disclosure.entity';
import { IdempotencyRecord } from '../modules/idempotency/idempotency.entity';
import { MirrorAlert } from '../modules/mirrors/mirror-alert.entity';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from '../modules/webhooks/webhook.entity';
import { SignalChange, SignalFeedState } from '../modules/signals/signal.entity';
import { DesignationListImport } from '../modules/designations/designation-list.entity';
import { Designation, Organisation } from '../modules/organisations/organisation.entity';
import { StixImportProposal } from '../modules/stix/stix-import.entity';
import { ReviewFlag } from '../modules/takedowns/review-flag.entity';
import { Partner, PartnerPlatform } from '../modules/partners/partner.entity';
import {
  StatusHistoryEntry,
  TakedownRequest,
  TakedownRequestAccount,
  TakedownRequestOrganisation,
} from '../modules/takedowns/takedown.entity';

export const ENTITIES = [
  Partner,
  PartnerPlatform,
  Organisation,
  Designation,
  DesignationListImport,
  Account,
  AccountOrganisation,
  EvidenceItem,
  TakedownRequest,
  TakedownRequestAccount,
  TakedownRequestOrganisation,
  StatusHistoryEntry,
  ReviewFlag,
  IdempotencyRecord,
  MirrorAlert,
  EvidenceAccess,
  DisclosureRequest,
  DisclosureHistoryEntry,
  DisclosureProduction,
  DisclosureOpening,
  AuditEntry,
  AuditHead,
  Complaint,
  WebhookEndpoint,
  WebhookEvent,
  SignalChange,
  SignalFeedState,
  WebhookDelivery,
  StixImportProposal,
];
