import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';

/**
 * When an organisation last changed (name, aliases, designations, de-listing): the STIX export's
 * `modified` and TAXII's date_added, which must move forward on every change for feeds to take it.
 */
export class OrganisationUpdatedAt1764921600000 implements MigrationInterface {
  name = 'OrganisationUpdatedAt1764921600000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.addColumn('organisations', new TableColumn(timestampColumn(engine, 'updatedAt', true)));
    // The newest change known before the column existed: a de-listing always follows creation.
    await q.query('UPDATE organisations SET "updatedAt" = COALESCE("delistedAt", "createdAt")');
    await q.changeColumn('organisations', 'updatedAt', new TableColumn(timestampColumn(engine, 'updatedAt')));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('organisations', 'updatedAt');
  }
}
