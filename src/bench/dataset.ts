import { SingleBar, Presets } from 'cli-progress';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Authority, Classification, Distribution, PartnerKind, Platform } from '../common/enums';
import { newId } from '../common/ids';
import { Account, AccountOrganisation } from '../modules/accounts/account.entity';
import { Designation, Organisation } from '../modules/organisations/organisation.entity';
import { PartnerDirectory } from '../modules/partners/partner.service';
import {
  StatusHistoryEntry,
  TakedownRequest,
  TakedownRequestAccount,
  TakedownRequestOrganisation,
} from '../modules/takedowns/takedown.entity';
import { TakedownKind, TakedownPriority, TakedownStatus as S } from '../modules/takedowns/takedown.enums';

export interface DatasetSize {
  accounts: number;
  requests: number;
}

const CHUNK = 400;
const STATUS_CYCLE = [S.SUBMITTED, S.ACKNOWLEDGED, S.SUBMITTED, S.ACKNOWLEDGED, S.SUBMITTED, S.ACKNOWLEDGED, S.ACTIONED, S.REJECTED, S.DRAFT, S.CLOSED];

export async function insertAll<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[], bar: SingleBar) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await em.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + CHUNK) as never).updateEntity(false).execute();
    bar.increment(Math.min(CHUNK, rows.length - i));
  }
}

/**
 * A deterministic exchange of the given size, written in bulk: agencies pta and moi, platforms x
 * (X) and meta (FACEBOOK), four organisations, accounts split between X and FACEBOOK, and
 * requests in every state, most of them open.
 */
export async function seedBenchDataset(db: DataSource, size: DatasetSize, progress = true): Promise<void> {
  const partners = new PartnerDirectory(db);
  const pta = await partners.add({ slug: 'pta', kind: PartnerKind.AGENCY });
  await partners.add({ slug: 'moi', kind: PartnerKind.AGENCY });
  const x = await partners.add({ slug: 'x', kind: PartnerKind.PLATFORM, platforms: [Platform.X] });
  const meta = await partners.add({ slug: 'meta', kind: PartnerKind.PLATFORM, platforms: [Platform.FACEBOOK] });
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);

  const organisations: Partial<Organisation>[] = ['TTP', 'ISKP', 'BLA', 'BLF'].map((name) => ({
    id: newId(), name, aliases: [], searchText: name.toLowerCase(), internalNotes: null, createdByPartnerId: pta.id, createdAt: at(100_000), updatedAt: at(100_000),
  }));
  const accounts: Partial<Account>[] = [];
  const accountOrganisations: Partial<AccountOrganisation>[] = [];
  for (let i = 0; i < size.accounts; i++) {
    const platform = i % 2 === 0 ? Platform.X : Platform.FACEBOOK;
    const handle = `bench_account_${i}`;
    accounts.push({
      id: newId(), platform, handle, handleKey: handle, platformAccountId: String(1_000_000 + i), displayName: `Bench ${i}`,
      url: `https://example.org/${handle}`, bio: `Bench account ${i}`, distribution: Distribution.ALL_AGENCIES,
      internalNotes: 'bench note', flaggedByPartnerId: pta.id, flaggedBySub: 'bench', createdAt: at(90_000 - i / 10),
    });
    accountOrganisations.push({ accountId: accounts[i].id, organisationId: organisations[i % 4].id });
  }
  const requests: Partial<TakedownRequest>[] = [];
  const requestAccounts: Partial<TakedownRequestAccount>[] = [];
  const requestOrganisations: Partial<TakedownRequestOrganisation>[] = [];
  const history: Partial<StatusHistoryEntry>[] = [];
  for (let j = 0; j < size.requests; j++) {
    const first = (j * 5) % size.accounts;
    const account = accounts[first];
    const status = STATUS_CYCLE[j % STATUS_CYCLE.length];
    const path = status === S.DRAFT ? [S.DRAFT] : status === S.SUBMITTED ? [S.DRAFT, S.SUBMITTED]
      : status === S.CLOSED ? [S.DRAFT, S.SUBMITTED, S.ACTIONED, S.CLOSED] : [S.DRAFT, S.SUBMITTED, status];
    const created = at(50_000 - j * 2);
    const request: Partial<TakedownRequest> = {
      id: newId(), status, kind: TakedownKind.REFERRAL, priority: j % 7 === 0 ? TakedownPriority.EMERGENCY : TakedownPriority.STANDARD,
      platform: account.platform, addressedPartnerId: account.platform === Platform.X ? x.id : meta.id, originatorPartnerId: pta.id,
      legalInstrument: 'PECA 2016', legalSection: 's.37', reasons: ['bench'], distribution: Distribution.ALL_AGENCIES,
      internalNotes: 'bench', version: path.length - 1, deadlineAt: status === S.DRAFT ? null : new Date(created.getTime() + 48 * 3_600_000),
      pausedRemainingMs: null, submittedAt: status === S.DRAFT ? null : created, draftedBySub: 'bench', createdAt: created, updatedAt: created,
    };
    requests.push(request);
    requestAccounts.push({ takedownRequestId: request.id, accountId: account.id });
    if (j % 5 === 0 && first + 2 < size.accounts) requestAccounts.push({ takedownRequestId: request.id, accountId: accounts[first + 2].id });
    requestOrganisations.push({ takedownRequestId: request.id, organisationId: organisations[first % 4].id });
    path.forEach((to, sequence) =>
      history.push({
        id: newId(), takedownRequestId: request.id, sequence, fromStatus: sequence === 0 ? null : path[sequence - 1], toStatus: to,
        actorPartnerId: sequence >= 2 ? (account.platform === Platform.X ? x.id : meta.id) : pta.id, actorSub: 'bench', at: created,
        reasonCode: null, action: null, note: null, noteClassification: Classification.SHAREABLE,
      }),
    );
  }
  const designations: Partial<Designation>[] = organisations.map((o, i) => ({
    id: newId(), organisationId: o.id, authority: Authority.UN, reference: `QDe.${100 + i}`, designatedOn: '2011-07-29',
  }));
  const total = organisations.length + designations.length + accounts.length + accountOrganisations.length + requests.length
    + requestAccounts.length + requestOrganisations.length + history.length;
  const bar = new SingleBar({ format: 'seeding {bar} {percentage}% | {value}/{total} rows | {duration}s', noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
  if (progress) bar.start(total, 0);
  await db.transaction(async (em) => {
    await insertAll(em, Organisation, organisations, bar);
    await insertAll(em, Designation, designations, bar);
    await insertAll(em, Account, accounts, bar);
    await insertAll(em, AccountOrganisation, accountOrganisations, bar);
    await insertAll(em, TakedownRequest, requests, bar);
    await insertAll(em, TakedownRequestAccount, requestAccounts, bar);
    await insertAll(em, TakedownRequestOrganisation, requestOrganisations, bar);
    await insertAll(em, StatusHistoryEntry, history, bar);
  });
  if (progress) bar.stop();
}
