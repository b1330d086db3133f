import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { fk, id, ref, text } from './columns';
import { engineOf, timestampColumn } from '../src/db/dialect';

/** The exchange core: partners, organisations, accounts, evidence, takedown requests and history. */
export class ExchangeCore1763884800000 implements MigrationInterface {
  name = 'ExchangeCore1763884800000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    const at = (name: string, nullable = false) => timestampColumn(engine, name, nullable);

    await q.createTable(new Table({
      name: 'partners',
      columns: [id(), text('slug', 64), text('name', 200), text('kind', 16), { name: 'active', type: 'boolean', default: true }, at('createdAt')],
      uniques: [{ columnNames: ['slug'] }],
    }));
    await q.createTable(new Table({
      name: 'partner_platforms',
      columns: [{ ...text('platform', 16), isPrimary: true }, ref('partnerId')],
      foreignKeys: [fk('partnerId', 'partners')],
    }));
    await q.createTable(new Table({
      name: 'organisations',
      columns: [id(), text('name', 300), text('aliases'), text('searchText'), text('internalNotes', undefined, true), ref('createdByPartnerId'), at('createdAt')],
      foreignKeys: [fk('createdByPartnerId', 'partners')],
      indices: [{ columnNames: ['searchText'] }],
    }));
    await q.createTable(new Table({
      name: 'designations',
      columns: [id(), ref('organisationId'), text('authority', 8), text('reference', 200), text('designatedOn', 10)],
      foreignKeys: [fk('organisationId', 'organisations', 'CASCADE')],
      indices: [{ columnNames: ['organisationId'] }],
    }));
    await q.createTable(new Table({
      name: 'accounts',
      columns: [
        id(), text('platform', 16), text('handle', 200), text('handleKey', 200), text('platformAccountId', 200, true),
        text('displayName', 300, true), text('url', 2048, true), text('bio', undefined, true), text('distribution', 16),
        text('internalNotes', undefined, true), ref('flaggedByPartnerId'), text('flaggedBySub', 200), at('createdAt'),
      ],
      foreignKeys: [fk('flaggedByPartnerId', 'partners')],
      indices: [{ columnNames: ['platform', 'handleKey'] }, { columnNames: ['flaggedByPartnerId'] }],
    }));
    await q.createTable(new Table({
      name: 'account_organisations',
      columns: [{ ...ref('accountId'), isPrimary: true }, { ...ref('organisationId'), isPrimary: true }],
      foreignKeys: [fk('accountId', 'accounts', 'CASCADE'), fk('organisationId', 'organisations')],
      indices: [{ columnNames: ['organisationId'] }],
    }));
    await q.createTable(new Table({
      name: 'evidence_items',
      columns: [id(), ref('accountId'), text('url', 2048), text('description', undefined, true), text('classification', 16), ref('addedByPartnerId'), at('createdAt')],
      foreignKeys: [fk('accountId', 'accounts', 'CASCADE'), fk('addedByPartnerId', 'partners')],
      indices: [{ columnNames: ['accountId'] }],
    }));
    await q.createTable(new Table({
      name: 'takedown_requests',
      columns: [
        id(), text('status', 20), text('kind', 16), text('priority', 16), text('platform', 16), ref('addressedPartnerId'),
        ref('originatorPartnerId'), text('legalInstrument', 200), text('legalSection', 200, true), text('reasons'),
        text('distribution', 16), text('internalNotes', undefined, true), { name: 'version', type: 'integer' },
        at('deadlineAt', true), { name: 'pausedRemainingMs', type: 'integer', isNullable: true }, at('submittedAt', true),
        text('draftedBySub', 200), at('createdAt'), at('updatedAt'),
      ],
      foreignKeys: [fk('addressedPartnerId', 'partners'), fk('originatorPartnerId', 'partners')],
      indices: [{ columnNames: ['addressedPartnerId', 'status'] }, { columnNames: ['originatorPartnerId'] }],
    }));
    await q.createTable(new Table({
      name: 'takedown_request_accounts',
      columns: [{ ...ref('takedownRequestId'), isPrimary: true }, { ...ref('accountId'), isPrimary: true }],
      foreignKeys: [fk('takedownRequestId', 'takedown_requests', 'CASCADE'), fk('accountId', 'accounts')],
      indices: [{ columnNames: ['accountId'] }],
    }));
    await q.createTable(new Table({
      name: 'takedown_request_organisations',
      columns: [{ ...ref('takedownRequestId'), isPrimary: true }, { ...ref('organisationId'), isPrimary: true }],
      foreignKeys: [fk('takedownRequestId', 'takedown_requests', 'CASCADE'), fk('organisationId', 'organisations')],
      indices: [{ columnNames: ['organisationId'] }],
    }));
    await q.createTable(new Table({
      name: 'takedown_status_history',
      columns: [
        id(), ref('takedownRequestId'), { name: 'sequence', type: 'integer' }, text('fromStatus', 20, true), text('toStatus', 20),
        ref('actorPartnerId'), text('actorSub', 200), at('at'), text('reasonCode', 40, true), text('action', 40, true),
        text('note', undefined, true), text('noteClassification', 16),
      ],
      foreignKeys: [fk('takedownRequestId', 'takedown_requests', 'CASCADE'), fk('actorPartnerId', 'partners')],
      uniques: [{ columnNames: ['takedownRequestId', 'sequence'] }],
    }));
    await q.createTable(new Table({
      name: 'idempotency_records',
      columns: [
        { ...ref('partnerId'), isPrimary: true }, { ...text('key', 200), isPrimary: true }, text('operation', 64),
        text('fingerprint', 64), ref('resultId'), at('createdAt'),
      ],
      foreignKeys: [fk('partnerId', 'partners')],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_records', 'takedown_status_history', 'takedown_request_organisations', 'takedown_request_accounts',
      'takedown_requests', 'evidence_items', 'account_organisations', 'accounts', 'designations', 'organisations',
      'partner_platforms', 'partners',
    ]) {
      await q.dropTable(table);
    }
  }
}
