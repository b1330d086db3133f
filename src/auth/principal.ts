import { PartnerKind, Platform } from '../common/enums';
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
