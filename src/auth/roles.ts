import { registerEnumType } from 'type-graphql';
import { PartnerKind } from '../common/enums';

export enum Role {
  AGENCY_ANALYST = 'AGENCY_ANALYST',
  AGENCY_SUPERVISOR = 'AGENCY_SUPERVISOR',
  AGENCY_SYSTEM = 'AGENCY_SYSTEM',
  AGENCY_DISCLOSURE_READER = 'AGENCY_DISCLOSURE_READER',
  AGENCY_INTAKE = 'AGENCY_INTAKE',
  PLATFORM_REVIEWER = 'PLATFORM_REVIEWER',
  PLATFORM_SYSTEM = 'PLATFORM_SYSTEM',
  AUDITOR = 'AUDITOR',
}

registerEnumType(Role, { name: 'Role' });

/** The partner kind each role belongs to; a token whose roles do not fit its partner is refused. */
export const ROLE_KIND: Record<Role, PartnerKind> = {
  AGENCY_ANALYST: PartnerKind.AGENCY,
  AGENCY_SUPERVISOR: PartnerKind.AGENCY,
  AGENCY_SYSTEM: PartnerKind.AGENCY,
  AGENCY_DISCLOSURE_READER: PartnerKind.AGENCY,
  AGENCY_INTAKE: PartnerKind.AGENCY,
  PLATFORM_REVIEWER: PartnerKind.PLATFORM,
  PLATFORM_SYSTEM: PartnerKind.PLATFORM,
  AUDITOR: PartnerKind.OVERSIGHT,
};

/** Role groups used by `@Authorized` and by the access policy. */
export const AGENCY_CASEWORK = [Role.AGENCY_ANALYST, Role.AGENCY_SUPERVISOR, Role.AGENCY_SYSTEM];
export const AGENCY_DECIDERS = [Role.AGENCY_SUPERVISOR, Role.AGENCY_SYSTEM];
export const PLATFORM_CASEWORK = [Role.PLATFORM_REVIEWER, Role.PLATFORM_SYSTEM];
export const CASEWORK = [...AGENCY_CASEWORK, ...PLATFORM_CASEWORK];
/** Partners' machine integrations: they alone register webhooks. */
export const PARTNER_SYSTEMS = [Role.AGENCY_SYSTEM, Role.PLATFORM_SYSTEM];
export const ANY_ROLE = Object.values(Role);
