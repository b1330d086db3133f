import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';

/** Mirror detection: avatar hashes and links on accounts, the mirrorOf link, and mirror alerts. */
export class MirrorAlerts1764057600000 implements MigrationInterface {
  name = 'MirrorAlerts1764057600000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.addColumns('accounts', [
      new TableColumn({ name: 'avatarPdq', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'avatarQuality', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'links', type: 'text', isNullable: true }),
      new TableColumn({ name: 'mirrorOfAccountId', type: 'varchar', length: '36', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'mirror_alerts',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'platform', type: 'varchar', length: '16' },
          { name: 'candidateAccountId', type: 'varchar', length: '36', isNullable: true },
          { name: 'candidate', type: 'text' },
          { name: 'matchedAccountId', type: 'varchar', length: '36' },
          { name: 'matched', type: 'text' },
          { name: 'probability', type: 'float' },
          { name: 'verdict', type: 'varchar', length: '20' },
          { name: 'signals', type: 'text' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'raisedByPartnerId', type: 'varchar', length: '36' },
          { name: 'reviewedBySub', type: 'varchar', length: '200', isNullable: true },
          { name: 'reviewNote', type: 'text', isNullable: true },
          timestampColumn(engine, 'reviewedAt', true),
          { name: 'draftRequestId', type: 'varchar', length: '36', isNullable: true },
          timestampColumn(engine, 'createdAt'),
        ],
        foreignKeys: [
          { columnNames: ['matchedAccountId'], referencedTableName: 'accounts', referencedColumnNames: ['id'] },
          { columnNames: ['candidateAccountId'], referencedTableName: 'accounts', referencedColumnNames: ['id'] },
          { columnNames: ['raisedByPartnerId'], referencedTableName: 'partners', referencedColumnNames: ['id'] },
        ],
        indices: [{ columnNames: ['platform', 'status'] }, { columnNames: ['candidateAccountId'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('mirror_alerts');
    for (const column of ['mirrorOfAccountId', 'links', 'avatarQuality', 'avatarPdq']) await q.dropColumn('accounts', column);
  }
}
