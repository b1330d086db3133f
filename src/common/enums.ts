import { registerEnumType } from 'type-graphql';

export enum Platform {
  X = 'X',
  FACEBOOK = 'FACEBOOK',
  INSTAGRAM = 'INSTAGRAM',
  WHATSAPP = 'WHATSAPP',
  TELEGRAM = 'TELEGRAM',
  YOUTUBE = 'YOUTUBE',
  TIKTOK = 'TIKTOK',
}

export enum Authority {
  UN = 'UN',
  US = 'US',
  UK = 'UK',
  EU = 'EU',
  PK = 'PK',
  OTHER = 'OTHER',
}

export enum PartnerKind {
  AGENCY = 'AGENCY',
  PLATFORM = 'PLATFORM',
  OVERSIGHT = 'OVERSIGHT',
}

export enum Distribution {
  ALL_AGENCIES = 'ALL_AGENCIES',
  ORIGINATOR_ONLY = 'ORIGINATOR_ONLY',
}

export enum Classification {
  SHAREABLE = 'SHAREABLE',
  RESTRICTED = 'RESTRICTED',
}

registerEnumType(Platform, { name: 'Platform' });
registerEnumType(Authority, { name: 'Authority', description: 'The body that designated an organisation.' });
registerEnumType(PartnerKind, { name: 'PartnerKind' });
registerEnumType(Distribution, {
  name: 'Distribution',
  description: 'Which agencies may see an account or request. ORIGINATOR_ONLY protects covert investigations.',
});
registerEnumType(Classification, {
  name: 'Classification',
  description: 'SHAREABLE items reach the addressed platform; RESTRICTED items stay with agencies.',
});
