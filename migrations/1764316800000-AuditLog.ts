import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { engineOf, timestampColumn } from '../src/db/dialect';
import { id, integer, ref, text } from './columns';
import { GENESIS_HASH } from '../src/modules/audit/audit-chain';

/** The audit log's hash chain and its single head row. */
export class AuditLog1764316800000 implements MigrationInterface {
  name = 'AuditLog1764316800000';

  async up(q: QueryRunner): Promise<void> {
    const engine = engineOf(q.connection);
    await q.createTable(new Table({
      name: 'audit_log',
      columns: [
        id(), integer('seq'), timestampColumn(engine, 'at'), ref('actorPartnerId', true), text('actorSub', 200, true), text('actorRoles', 300, true),
        text('action', 100), text('objectType', 60, true), ref('objectId', true), text('requestId', 100, true), text('outcome', 40), text('prevHash', 64), text('hash', 64),
      ],
      indices: [{ columnNames: ['seq'], isUnique: true }, { columnNames: ['actorPartnerId'] }, { columnNames: ['objectId'] }],
    }));
    await q.createTable(new Table({ name: 'audit_head', columns: [{ name: 'id', type: 'integer', isPrimary: true }, integer('seq'), text('hash', 64)] }));
    await q.query(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_head');
    await q.dropTable('audit_log');
  }
}
