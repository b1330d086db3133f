import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ConfigError, JwksConfig, JwtConfig } from '../config';
import { unauthenticated } from '../common/errors';
import { Principal, principalFromPartner } from './principal';
import { Role, ROLE_KIND } from './roles';
import { PartnerDirectory } from '../modules/partners/partner.service';

const KNOWN_ROLES = new Set<string>(Object.values(Role));

/** Checks a token's signature, algorithm, expiry, issuer and audience, and returns its claims. */
type SignatureCheck = (token: string) => Promise<Record<string, unknown>>;

/** A key fixed in the configuration: the identity provider's PEM public key, or the HS* secret. */
function configuredKeyCheck(config: JwtConfig): SignatureCheck {
  // Built once: jsonwebtoken would otherwise parse the key on every request.
  const key = config.publicKey
    ? crypto.createPublicKey(config.publicKey)
    : config.secret
      ? crypto.createSecretKey(Buffer.from(config.secret))
      : null;
  return async (token) => {
    if (!key) throw new Error('token verification is not configured');
    const claims = jwt.verify(token, key, { algorithms: config.algorithms, issuer: config.issuer, audience: config.audience });
    if (typeof claims === 'string') throw new Error('payload is not a JSON object');
    return claims;
  };
}

/** jose's codes for a key set that could not be fetched or read, as opposed to a bad token. */
const PROVIDER_FAILURES = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * jose spaces out successful fetches only: after a failed one, every token would try again. This
 * spaces out failures too, so that a failing provider is asked once per cooldown, not per request.
 */
function fetchSpacedAfterFailure(cooldownMs: number): typeof fetch {
  let failedAt = -Infinity;
  return async (url, options) => {
    if (Date.now() - failedAt < cooldownMs) throw new Error('the last fetch failed moments ago');
    try {
      const response = await fetch(url, options);
      if (response.status !== 200) failedAt = Date.now();
      return response;
    } catch (error) {
      failedAt = Date.now();
      throw error;
    }
  };
}

/**
 * The identity provider's key set. jose keeps it for `cacheSeconds`; a kid it does not hold makes
 * it fetch the set again, at most once per `cooldownSeconds`, so that rotated-in keys are found at
 * once while random kids cannot make PAX hammer the provider. Concurrent fetches are merged.
 */
function keySetCheck(config: JwtConfig, jwks: JwksConfig): SignatureCheck {
  // jose is an ES module, which CommonJS loads with import() only.
  const verifier = import('jose').then(({ createRemoteJWKSet, customFetch, jwtVerify }) => {
    const keys = createRemoteJWKSet(new URL(jwks.url), {
      cacheMaxAge: jwks.cacheSeconds * 1000,
      cooldownDuration: jwks.cooldownSeconds * 1000,
      [customFetch]: fetchSpacedAfterFailure(jwks.cooldownSeconds * 1000),
    });
    return async (token: string) => {
      try {
        return (await jwtVerify(token, keys, { algorithms: config.algorithms, issuer: config.issuer, audience: config.audience })).payload;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('ERR_J') && !PROVIDER_FAILURES.has(code)) throw error;
        throw new Error("the identity provider's key set could not be fetched; try again later");
      }
    };
  });
  return async (token) => (await verifier)(token);
}

/**
 * Verifies a bearer token and turns it into a Principal. Every refusal is UNAUTHENTICATED with a
 * message that says what to fix, never which partner or role exists.
 */
export class TokenVerifier {
  private readonly checkSignature: SignatureCheck;

  constructor(
    config: JwtConfig,
    private readonly partners: PartnerDirectory,
  ) {
    this.checkSignature = config.jwks ? keySetCheck(config, config.jwks) : configuredKeyCheck(config);
  }

  async verify(token: string): Promise<Principal> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.checkSignature(token);
    } catch (error) {
      throw unauthenticated(`invalid token: ${(error as Error).message}`);
    }
    const { sub, exp, partner, roles } = claims;
    if (typeof sub !== 'string' || sub === '') throw unauthenticated('invalid token: no sub claim');
    if (typeof exp !== 'number') throw unauthenticated('invalid token: no exp claim; tokens must expire');
    if (typeof partner !== 'string') throw unauthenticated('invalid token: no partner claim');
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && KNOWN_ROLES.has(r))) {
      throw unauthenticated('invalid token: roles must be a non-empty list of PAX roles');
    }
    return this.principalFor(sub, partner, roles as Role[], exp);
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
    throw new ConfigError('PAX verifies tokens from an identity provider here (PAX_JWT_JWKS_URL or PAX_JWT_PUBLIC_KEY); mint tokens there, not with pax token');
  }
  return jwt.sign({ partner: request.partner, roles: request.roles }, config.secret, {
    algorithm: config.algorithms.find((a) => a.startsWith('HS')) ?? 'HS256',
    subject: request.sub,
    issuer: config.issuer,
    audience: config.audience,
    expiresIn: request.ttl as jwt.SignOptions['expiresIn'],
  });
}
