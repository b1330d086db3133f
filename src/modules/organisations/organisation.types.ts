import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Authority } from '../../common/enums';
import { ConnectionType } from '../../common/connection';
import { Organisation } from './organisation.entity';
import { Identifier } from '../../common/identifier';

@InputType()
export class DesignationInput {
  @Field(() => Authority)
  authority: Authority;

  @Field()
  @Identifier({ max: 200 })
  reference: string;

  @Field(() => GraphQLLocalDate)
  designatedOn: string;
}

@InputType()
export class DesignateOrganisationInput {
  @Field()
  @Length(1, 300)
  name: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 300, { each: true })
  aliases?: string[];

  @Field(() => [DesignationInput])
  @ArrayMinSize(1, { message: 'an organisation needs at least one designation' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  designations: DesignationInput[];

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(10000)
  internalNotes?: string;
}

@InputType()
export class OrganisationFilter {
  @Field({ nullable: true, description: 'Case-insensitive match on the name or any alias.' })
  @IsOptional()
  @MaxLength(200)
  search?: string;

  @Field(() => Authority, { nullable: true, description: 'Only organisations with an active (not de-listed) designation by this authority.' })
  authority?: Authority;
}

@ObjectType()
export class OrganisationConnection extends ConnectionType(Organisation, 'Organisation') {}
