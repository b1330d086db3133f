import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { fk, id, integer, ref, text } from './columns';

/** STIX import proposals: what a bundle would create or update, until an analyst decides. */
export class StixImports1764662400000 implements MigrationInterface {
  name = 'StixImports1764662400000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.createTable(new Table({
      name: 'stix_import_proposals',
      columns: [
        id(), ref('partnerId'), text('proposedBySub', 200), text('status', 16), text('distribution', 16), text('bundleId', 300),
        text('items'), integer('ignoredObjects'), timestampColumn(engine, 'createdAt'), text('decidedBySub', 200, true), timestampColumn(engine, 'decidedAt', true),
      ],
      foreignKeys: [fk('partnerId', 'partners')],
      indices: [{ columnNames: ['partnerId', 'id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('stix_import_proposals');
  }
}
