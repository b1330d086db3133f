import { Field, ID, ObjectType } from 'type-graphql';
import { Column, PrimaryColumn } from 'typeorm';

/** One access to sealed or custodial data: who (partner and person), when, in which request. */
@ObjectType()
export abstract class AccessRecord {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  partnerId: string;

  /** Personal data: exposed through the access policy, to the accessing partner only. */
  @Column({ type: 'varchar', length: 200 })
  sub: string;

  @Field()
  @Column({ type: Date })
  at: Date;

  @Field(() => String, { nullable: true, description: 'The request id it was made under.' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  requestId: string | null;
}
