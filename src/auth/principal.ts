import { PartnerKind, Platform } from '../common/enums';
import type { PartnerView } from '../modules/partners/partner.types';
import { Role } from './roles';

/** Who is calling: the verified token joined with the partner record PAX holds. */
export interface Principal {
  sub: string;
  partnerId: string;
  partnerSlug: string;
  partnerKind: PartnerKind;
  /** The platforms the partner operates; empty unless it is a platform partner. */
  platforms: Platform[];
  roles: Role[];
  /** Seconds since the epoch, from the token's `exp`. */
  expiresAt: number;
}

export const hasAnyRole = (principal: Principal, roles: readonly Role[]): boolean =>
  principal.roles.some((r) => roles.includes(r));

export const principalFromPartner = (partner: PartnerView, sub: string, roles: Role[], expiresAt: number): Principal => ({
  sub,
  partnerId: partner.id,
  partnerSlug: partner.slug,
  partnerKind: partner.kind,
  platforms: partner.platforms,
  roles: [...new Set(roles)],
  expiresAt,
});
