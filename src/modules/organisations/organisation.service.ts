import { DataSource } from 'typeorm';
import { PaxContext, principalOf } from '../../context';
import { scopeOrganisations } from '../../access/policy';
import { badInput, conflict, notFound } from '../../common/errors';
import { Connection, PageArgs, paginate } from '../../common/connection';
import { isId, newId } from '../../common/ids';
import { containsLowered, isUniqueViolation, likePattern } from '../../db/dialect';
import { inTransaction } from '../../db/transaction';
import { Designation, Organisation } from './organisation.entity';
import { DesignateOrganisationInput, OrganisationFilter } from './organisation.types';

export const organisationSearchText = (name: string, aliases: string[]) => [name, ...aliases].join('\n').toLowerCase();

export class OrganisationService {
  constructor(private readonly db: DataSource) {}

  private scoped(ctx: PaxContext) {
    return scopeOrganisations(this.db.getRepository(Organisation).createQueryBuilder('o'), 'o', ctx.principal);
  }

  async list(ctx: PaxContext, filter: OrganisationFilter = {}, page: PageArgs = {}): Promise<Connection<Organisation>> {
    const query = this.scoped(ctx);
    if (filter.search) query.andWhere(containsLowered('o.searchText', 'search'), { search: likePattern(filter.search) });
    if (filter.authority) {
      const designated = query
        .subQuery()
        .select('d.organisationId')
        .from(Designation, 'd')
        .where('d.authority = :authority AND d.delistedOn IS NULL', { authority: filter.authority });
      query.andWhere(`o.id IN ${designated.getQuery()}`, designated.getParameters());
    }
    return paginate(query, 'o', page);
  }

  async get(ctx: PaxContext, id: string): Promise<Organisation> {
    const organisation = isId(id) ? await this.scoped(ctx).andWhere('o.id = :id', { id }).getOne() : null;
    if (!organisation) throw notFound('Organisation', id);
    return organisation;
  }

  async designate(ctx: PaxContext, input: DesignateOrganisationInput): Promise<Organisation> {
    const principal = principalOf(ctx);
    const today = new Date().toISOString().slice(0, 10);
    const future = input.designations.find((d) => d.designatedOn > today);
    if (future) throw badInput(`designatedOn ${future.designatedOn} is in the future`);
    const aliases = [...new Set((input.aliases ?? []).map((a) => a.normalize('NFC').trim()).filter(Boolean))];
    const name = input.name.normalize('NFC').trim();
    const repeated = input.designations.find((d, i) => input.designations.findIndex((e) => e.authority === d.authority && e.reference === d.reference) !== i);
    if (repeated) throw badInput(`${repeated.authority} ${repeated.reference} is given twice; give each designation once`, { authority: repeated.authority, reference: repeated.reference });
    const id = await inTransaction(this.db, async (em) => {
      const now = new Date();
      const sameName = await em
        .createQueryBuilder(Organisation, 'o')
        .where('LOWER(o.name) = :name', { name: name.toLowerCase() })
        .getOne();
      if (sameName) throw conflict(`organisation "${sameName.name}" is already designated`, { existingId: sameName.id });
      for (const d of input.designations) {
        const listed = await em.findOneBy(Designation, { authority: d.authority, reference: d.reference });
        if (listed) throw conflict(`${d.authority} ${d.reference} is already recorded`, { existingId: listed.organisationId });
      }
      const organisation = em.create(Organisation, {
        id: newId(),
        name,
        aliases,
        searchText: organisationSearchText(name, aliases),
        internalNotes: input.internalNotes ?? null,
        createdByPartnerId: principal.partnerId,
        createdAt: now,
        updatedAt: now,
      });
      await em.insert(Organisation, organisation);
      for (const d of input.designations) {
        await em.insert(Designation, { id: newId(), organisationId: organisation.id, ...d });
      }
      return organisation.id;
    }).catch((error: unknown) => {
      // A concurrent designation or import recorded the same one between the check and the insert.
      if (isUniqueViolation(error)) throw conflict('this organisation or one of its designations was recorded meanwhile by another change; look it up before designating it again');
      throw error;
    });
    return this.get(ctx, id);
  }
}
