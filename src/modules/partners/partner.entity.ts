import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PartnerKind, Platform } from '../../common/enums';

/** An agency, platform or oversight body registered in PAX. Tokens name it by slug. */
@Entity('partners')
export class Partner {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  slug: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: PartnerKind;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: Date })
  createdAt: Date;
}

/** Which partner operates a platform. The primary key makes each platform's operator unique. */
@Entity('partner_platforms')
export class PartnerPlatform {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  platform: Platform;

  @Column({ type: 'varchar', length: 36 })
  partnerId: string;
}
