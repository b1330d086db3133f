import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { fk, id, ref, text } from './columns';

/** Designations kept current from the published lists: their list, de-listing, and review flags on requests. */
export class DesignationImport1764576000000 implements MigrationInterface {
  name = 'DesignationImport1764576000000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.addColumns('designations', [new TableColumn(text('list', 200, true)), new TableColumn(text('delistedOn', 10, true))]);
    await q.createIndex('designations', new TableIndex({ name: 'IDX_designations_authority_reference', columnNames: ['authority', 'reference'], isUnique: true, where: '"list" IS NOT NULL' }));
    await q.createIndex('designations', new TableIndex({ name: 'IDX_designations_list', columnNames: ['list'] }));
    await q.addColumn('organisations', new TableColumn(timestampColumn(engine, 'delistedAt', true)));
    await q.createTable(new Table({
      name: 'designation_list_imports',
      columns: [{ ...text('list', 200), isPrimary: true }, text('publishedOn', 10), timestampColumn(engine, 'importedAt')],
    }));
    await q.createTable(new Table({
      name: 'takedown_review_flags',
      columns: [id(), ref('takedownRequestId'), ref('organisationId'), text('reason'), timestampColumn(engine, 'raisedAt')],
      foreignKeys: [fk('takedownRequestId', 'takedown_requests', 'CASCADE'), fk('organisationId', 'organisations')],
      indices: [{ columnNames: ['takedownRequestId'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('takedown_review_flags');
    await q.dropTable('designation_list_imports');
    await q.dropColumn('organisations', 'delistedAt');
    await q.dropIndex('designations', 'IDX_designations_list');
    await q.dropIndex('designations', 'IDX_designations_authority_reference');
    await q.dropColumns('designations', ['list', 'delistedOn']);
  }
}
