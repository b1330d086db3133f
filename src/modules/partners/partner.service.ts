import { LRUCache } from 'lru-cache';
import { DataSource, In } from 'typeorm';
import { PartnerKind, Platform } from '../../common/enums';
import { newId } from '../../common/ids';
import { inTransaction } from '../../db/transaction';
import { checkIdentifier } from '../../common/identifier';
import { Partner, PartnerPlatform } from './partner.entity';
import { PartnerView } from './partner.types';

export interface PartnerInput {
  slug: string;
  name?: string;
  kind: PartnerKind;
  platforms?: Platform[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A partner's slug and name identify it in tokens, logs and every view: trimmed, no hidden characters. */
function identifier(option: string, value: string, max: number): string {
  const checked = checkIdentifier(value, { max });
  if (!checked.ok) throw new Error(`--${option} ${checked.problem}`);
  return checked.value;
}

/**
 * Reads and registers partners. Partners are public reference data, so no access policy applies.
 * Every request and every subscription delivery resolves its partner, so lookups are cached for
 * `cacheSeconds`: a partner deactivated here takes effect at once, one deactivated through
 * another instance within that time.
 */
export class PartnerDirectory {
  private readonly bySlug: LRUCache<string, { partner: PartnerView | null }>;

  constructor(
    private readonly db: DataSource,
    cacheSeconds = 5,
  ) {
    this.bySlug = new LRUCache({ max: 10_000, ttl: Math.max(1, cacheSeconds * 1000) });
  }

  async findActiveBySlug(slug: string): Promise<PartnerView | null> {
    const cached = this.bySlug.get(slug);
    if (cached) return cached.partner;
    const row = await this.db.getRepository(Partner).findOneBy({ slug, active: true });
    const partner = row ? (await this.views([row]))[0] : null;
    this.bySlug.set(slug, { partner });
    return partner;
  }

  async findByIds(ids: readonly string[]): Promise<PartnerView[]> {
    if (ids.length === 0) return [];
    return this.views(await this.db.getRepository(Partner).findBy({ id: In([...ids]) }));
  }

  async operatorOf(platform: Platform): Promise<Partner | null> {
    const link = await this.db.getRepository(PartnerPlatform).findOneBy({ platform });
    if (!link) return null;
    return this.db.getRepository(Partner).findOneBy({ id: link.partnerId, active: true });
  }

  async add(raw: PartnerInput): Promise<PartnerView> {
    const slug = identifier('slug', raw.slug, 63);
    const input = { ...raw, slug, name: raw.name === undefined ? undefined : identifier('name', raw.name, 200) };
    if (!SLUG.test(input.slug)) throw new Error(`slug "${input.slug}" must be 1-63 lowercase letters, digits or dashes`);
    const platforms = input.platforms ?? [];
    if (input.kind === PartnerKind.PLATFORM && platforms.length === 0) throw new Error('a PLATFORM partner needs --platforms');
    if (input.kind !== PartnerKind.PLATFORM && platforms.length > 0) throw new Error('only PLATFORM partners operate platforms');
    return inTransaction(this.db, async (em) => {
      if (await em.findOneBy(Partner, { slug: input.slug })) throw new Error(`partner ${input.slug} already exists`);
      const taken = await em.findBy(PartnerPlatform, { platform: In(platforms) });
      if (taken.length) throw new Error(`${taken.map((t) => t.platform).join(', ')} already has an operator`);
      const partner = em.create(Partner, {
        id: newId(),
        slug: input.slug,
        name: input.name ?? input.slug,
        kind: input.kind,
        active: true,
        createdAt: new Date(),
      });
      await em.insert(Partner, partner);
      for (const platform of platforms) await em.insert(PartnerPlatform, { platform, partnerId: partner.id });
      this.bySlug.delete(input.slug);
      return { id: partner.id, slug: partner.slug, name: partner.name, kind: partner.kind, platforms };
    });
  }

  async setActive(slug: string, active: boolean): Promise<void> {
    const result = await this.db.getRepository(Partner).update({ slug }, { active });
    this.bySlug.delete(slug);
    if (!result.affected) throw new Error(`no partner ${slug}`);
  }

  private async views(partners: Partner[]): Promise<PartnerView[]> {
    const links = await this.db.getRepository(PartnerPlatform).findBy({ partnerId: In(partners.map((p) => p.id)) });
    return partners.map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      kind: p.kind,
      platforms: links.filter((l) => l.partnerId === p.id).map((l) => l.platform).sort(),
    }));
  }
}
