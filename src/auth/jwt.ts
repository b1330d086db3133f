import crypto, { KeyObject } from 'node:crypto';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { JwtConfig } from '../config';
import { unauthenticated } from '../common/errors';
import { Principal, principalFromPartner } from './principal';
import { Role, ROLE_KIND } from './roles';
import { PartnerDirectory } from '../modules/partners/partner.service';

const KNOWN_ROLES = new Set<string>(Object.values(Role));

/**
 * Verifies a bearer token and turns it into a Principal. Every refusal is UNAUTHENTICATED with a
 * message that says what to fix, never which partner or role exists.
 */
export class TokenVerifier {
  /** Built once: jsonwebtoken would otherwise parse the key on every request. */
  private readonly key: KeyObject | null;

  constructor(
    private readonly config: JwtConfig,
    private readonly partners: PartnerDirectory,
  ) {
    this.key = config.publicKey
      ? crypto.createPublicKey(config.publicKey)
      : config.secret
        ? crypto.createSecretKey(Buffer.from(config.secret))
        : null;
  }

  async verify(token: string): Promise<Principal> {
    const key = this.key;
    if (!key) throw unauthenticated('token verification is not configured');
    let claims: JwtPayload;
    try {
      const decoded = jwt.verify(token, key, {
        algorithms: this.config.algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
      });
      if (typeof decoded === 'string') throw new Error('payload is not a JSON object');
      claims = decoded;
    } catch (error) {
      throw unauthenticated(`invalid token: ${(error as Error).message}`);
    }
    if (typeof claims.sub !== 'string' || claims.sub === '') throw unauthenticated('invalid token: no sub claim');
    if (typeof claims.exp !== 'number') throw unauthenticated('invalid token: no exp claim; tokens must expire');
    if (typeof claims.partner !== 'string') throw unauthenticated('invalid token: no partner claim');
    const roles: unknown = claims.roles;
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && KNOWN_ROLES.has(r))) {
      throw unauthenticated('invalid token: roles must be a non-empty list of PAX roles');
    }
    return this.principalFor(claims.sub, claims.partner, roles as Role[], claims.exp);
  }

  /** Re-reads the partner, so a deactivated partner or an expired token stops receiving events. */
  async refresh(principal: Principal): Promise<Principal | null> {
    if (principal.expiresAt * 1000 <= Date.now()) return null;
    try {
      return await this.principalFor(principal.sub, principal.partnerSlug, principal.roles, principal.expiresAt);
    } catch {
      return null;
    }
  }

  private async principalFor(sub: string, slug: string, roles: Role[], expiresAt: number): Promise<Principal> {
    const partner = await this.partners.findActiveBySlug(slug);
    if (!partner) throw unauthenticated('invalid token: the partner is not registered or is deactivated');
    const misfit = roles.filter((r) => ROLE_KIND[r] !== partner.kind);
    if (misfit.length) throw unauthenticated(`invalid token: roles ${misfit.join(', ')} do not fit a ${partner.kind} partner`);
    return principalFromPartner(partner, sub, roles, expiresAt);
  }
}

export interface TokenRequest {
  partner: string;
  roles: Role[];
  sub: string;
  ttl: string;
}

/** Signs a token with the local HS256 secret: for development, demos and tests only. */
export function signDevToken(config: JwtConfig, request: TokenRequest): string {
  if (!config.secret) {
    throw new Error('PAX verifies tokens from an identity provider here (PAX_JWT_PUBLIC_KEY); mint tokens there, not with pax token');
  }
  return jwt.sign({ partner: request.partner, roles: request.roles }, config.secret, {
    algorithm: config.algorithms.find((a) => a.startsWith('HS')) ?? 'HS256',
    subject: request.sub,
    issuer: config.issuer,
    audience: config.audience,
    expiresIn: request.ttl as jwt.SignOptions['expiresIn'],
  });
}
