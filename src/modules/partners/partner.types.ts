import { Field, ID, ObjectType } from 'type-graphql';
import { PartnerKind, Platform } from '../../common/enums';
import { Role } from '../../auth/roles';

@ObjectType('Partner', { simpleResolvers: true, description: 'The public face of a partner: who it is and what it operates.' })
export class PartnerView {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;

  @Field(() => PartnerKind)
  kind: PartnerKind;

  @Field(() => [Platform])
  platforms: Platform[];
}

@ObjectType('Me')
export class MeView {
  @Field()
  sub: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => PartnerView)
  partner: PartnerView;
}
