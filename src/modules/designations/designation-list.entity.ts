import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The publication date of the last import of each list, so that an older file cannot rewrite history. */
@Entity('designation_list_imports')
export class DesignationListImport {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  list: string;

  @Column({ type: 'varchar', length: 10 })
  publishedOn: string;

  @Column({ type: Date })
  importedAt: Date;
}
