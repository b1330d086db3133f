import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * The hashes of a removed account's avatar's normalised forms (trimmed, canonical, cropped), a JSON
 * array of hex: what lets an edited re-upload match. Accounts flagged with only a PDQ have none.
 */
export class AvatarVariants1765008000000 implements MigrationInterface {
  name = 'AvatarVariants1765008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('accounts', new TableColumn({ name: 'avatarVariants', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('accounts', 'avatarVariants');
  }
}
