import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { fk, id, integer, ref, text } from './columns';
import { engineOf, timestampColumn } from '../src/db/dialect';

const SEALED = (nullable: boolean) => [text('ciphertext', undefined, nullable), text('iv', 32, nullable), text('authTag', 32, nullable), text('wrappedKey', 200, nullable), text('keyId', 64, nullable)];

/**
 * Lawful disclosure: disclosure requests with their history, sealed productions and openings, and
 * chain of custody for evidence (hash, capture, sealed bytes, access log). Evidence may now belong
 * to a disclosure request instead of an account.
 */
export class Disclosures1764144000000 implements MigrationInterface {
  name = 'Disclosures1764144000000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    const at = (name: string, nullable = false) => timestampColumn(engine, name, nullable);
    await q.createTable(new Table({
      name: 'disclosure_requests',
      columns: [
        id(), text('type', 16), text('status', 20), text('platform', 16), ref('addressedPartnerId'), ref('originatorPartnerId'),
        text('accounts'), text('categories'), at('dataFrom'), at('dataTo'), text('legalInstrument', 200), text('legalSection', 200, true),
        text('emergency', undefined, true), ref('takedownRequestId', true), text('caseReference', 200, true), ref('preservationRequestId', true),
        integer('version'), at('deadlineAt', true), integer('pausedRemainingMs', true), at('submittedAt', true), text('draftedBySub', 200),
        text('rejectionReason', 30, true), text('userNotification', 20), at('userNotificationDelayedUntil', true), at('userNotificationPromptedAt', true),
        text('preservationStatus', 16, true), at('preservationExpiresAt', true), at('preservationExtendedAt', true), at('preservationNoticeFor', true),
        ref('preservationConvertedToId', true), at('createdAt'), at('updatedAt'),
      ],
      foreignKeys: [fk('addressedPartnerId', 'partners'), fk('originatorPartnerId', 'partners'), fk('takedownRequestId', 'takedown_requests')],
      indices: [
        { name: 'IDX_disclosure_requests_addressed_id', columnNames: ['addressedPartnerId', 'id'] },
        { name: 'IDX_disclosure_requests_originator_id', columnNames: ['originatorPartnerId', 'id'] },
        { columnNames: ['preservationStatus', 'preservationExpiresAt'] },
        { columnNames: ['userNotification', 'userNotificationDelayedUntil'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'disclosure_history',
      columns: [id(), ref('disclosureRequestId'), integer('sequence'), text('fromStatus', 20, true), text('toStatus', 20), ref('actorPartnerId'), text('actorSub', 200), at('at'), text('note', undefined, true)],
      foreignKeys: [fk('disclosureRequestId', 'disclosure_requests'), fk('actorPartnerId', 'partners')],
      uniques: [{ columnNames: ['disclosureRequestId', 'sequence'] }],
    }));
    await q.createTable(new Table({
      name: 'disclosure_productions',
      columns: [
        id(), ref('disclosureRequestId'), ref('producedByPartnerId'), text('producedBySub', 200), at('producedAt'), text('categories'),
        text('mediaType', 100), integer('sizeBytes'), text('sha256', 64), ...SEALED(false),
      ],
      foreignKeys: [fk('disclosureRequestId', 'disclosure_requests'), fk('producedByPartnerId', 'partners')],
      indices: [{ columnNames: ['disclosureRequestId'], isUnique: true }],
    }));
    await q.createTable(new Table({
      name: 'disclosure_openings',
      columns: [id(), ref('disclosureRequestId'), ref('partnerId'), text('sub', 200), text('purpose'), at('at'), text('requestId', 100, true)],
      foreignKeys: [fk('disclosureRequestId', 'disclosure_requests'), fk('partnerId', 'partners')],
      indices: [{ columnNames: ['disclosureRequestId'] }],
    }));

    const evidence = await q.getTable('evidence_items');
    await q.changeColumn(evidence!, 'accountId', new TableColumn(ref('accountId', true)));
    await q.changeColumn('evidence_items', 'url', new TableColumn(text('url', 2048, true)));
    await q.addColumns('evidence_items', [
      new TableColumn(ref('disclosureRequestId', true)),
      new TableColumn(text('capturedBySub', 200, true)),
      new TableColumn({ ...at('capturedAt', true) }),
      new TableColumn(text('sha256', 64, true)),
      new TableColumn(integer('sizeBytes', true)),
      new TableColumn(text('mediaType', 100, true)),
      ...SEALED(true).map((column) => new TableColumn(column)),
    ]);
    await q.query(`UPDATE evidence_items SET "capturedAt" = "createdAt"`);
    await q.createForeignKey('evidence_items', fk('disclosureRequestId', 'disclosure_requests'));
    await q.createIndex('evidence_items', new TableIndex({ columnNames: ['disclosureRequestId'] }));
    await q.createTable(new Table({
      name: 'evidence_accesses',
      columns: [id(), ref('evidenceItemId'), ref('partnerId'), text('sub', 200), text('action', 20), at('at'), text('requestId', 100, true)],
      foreignKeys: [fk('evidenceItemId', 'evidence_items'), fk('partnerId', 'partners')],
      indices: [{ columnNames: ['evidenceItemId'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('evidence_accesses');
    await q.query(`DELETE FROM evidence_items WHERE "disclosureRequestId" IS NOT NULL OR "accountId" IS NULL`);
    const evidence = (await q.getTable('evidence_items'))!;
    const disclosureFk = evidence.foreignKeys.find((f) => f.columnNames.includes('disclosureRequestId'));
    if (disclosureFk) await q.dropForeignKey('evidence_items', disclosureFk);
    const disclosureIndex = evidence.indices.find((i) => i.columnNames.includes('disclosureRequestId'));
    if (disclosureIndex) await q.dropIndex('evidence_items', disclosureIndex);
    for (const column of ['keyId', 'wrappedKey', 'authTag', 'iv', 'ciphertext', 'mediaType', 'sizeBytes', 'sha256', 'capturedAt', 'capturedBySub', 'disclosureRequestId']) {
      await q.dropColumn('evidence_items', column);
    }
    await q.query(`UPDATE evidence_items SET "url" = '' WHERE "url" IS NULL`);
    await q.changeColumn('evidence_items', 'url', new TableColumn(text('url', 2048)));
    await q.changeColumn('evidence_items', 'accountId', new TableColumn(ref('accountId')));
    for (const table of ['disclosure_openings', 'disclosure_productions', 'disclosure_history', 'disclosure_requests']) await q.dropTable(table);
  }
}
