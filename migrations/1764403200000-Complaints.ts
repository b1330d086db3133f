import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { fk, id, ref, text } from './columns';

/** The public complaints intake. */
export class Complaints1764403200000 implements MigrationInterface {
  name = 'Complaints1764403200000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.createTable(new Table({
      name: 'complaints',
      columns: [
        id(), ref('intakePartnerId'), text('url', 2048), text('normalisedUrl', 2048), text('platform', 16, true), text('accountKey', 300, true),
        text('groupKey', 2048), text('description'), text('contactCiphertext', undefined, true), text('contactIv', 32, true), text('contactAuthTag', 32, true),
        text('contactWrappedKey', 200, true), text('contactKeyId', 64, true), text('status', 16), ref('mergedIntoId', true), ref('promotedAccountId', true),
        ref('promotedRequestId', true), text('triagedBySub', 200, true), timestampColumn(engine, 'triagedAt', true), text('triageNote', undefined, true),
        timestampColumn(engine, 'receivedAt'),
      ],
      foreignKeys: [fk('intakePartnerId', 'partners')],
      indices: [{ columnNames: ['intakePartnerId', 'status', 'groupKey'] }, { columnNames: ['intakePartnerId', 'receivedAt'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('complaints');
  }
}
