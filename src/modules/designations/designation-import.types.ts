import { IsOptional, MaxLength } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Authority } from '../../common/enums';
import { DesignationSource } from './lists/sanctions-list';

/** The HTTP body limit is 8 MiB; a list larger than that goes through `pax designations import`. */
export const MAX_CONTENT_CHARS = 8_000_000;

@InputType()
export class ImportDesignationsInput {
  @Field(() => DesignationSource)
  source: DesignationSource;

  @Field({ description: 'The whole published file, as text. Files over the HTTP body limit (8 MiB) go through `pax designations import`.' })
  @MaxLength(MAX_CONTENT_CHARS)
  content: string;

  @Field(() => Boolean, { nullable: true, description: 'Only show what would change; nothing is written.' })
  @IsOptional()
  dryRun?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Let the import de-list more than 10% (and more than 3) of the list\'s active designations. Without it such an import is refused: a partial file, or another list under the same root element, would de-list everything it lacks.',
  })
  @IsOptional()
  allowMassDelisting?: boolean | null;
}

export enum MatchedBy {
  REFERENCE = 'REFERENCE',
  NAME = 'NAME',
  CROSS_SCRIPT = 'CROSS_SCRIPT',
  NEW_ORGANISATION = 'NEW_ORGANISATION',
}
registerEnumType(MatchedBy, {
  name: 'MatchedBy',
  description: 'How a listed entry found its organisation: its designation already recorded (authority and reference), the same name or alias, the same name in another script or spelling, or none (a new organisation).',
});

@ObjectType({ description: 'A designation the import adds or changes.' })
export class DesignationChange {
  @Field()
  reference: string;

  @Field(() => GraphQLLocalDate)
  designatedOn: string;

  @Field(() => ID, { nullable: true, description: 'Null in a dry run for an organisation the import would create.' })
  organisationId: string | null;

  @Field()
  organisationName: string;

  @Field({ description: 'The name the list gives.' })
  listedName: string;

  @Field(() => MatchedBy)
  matchedBy: MatchedBy;

  @Field(() => [String], { description: 'For a changed designation: what changes, e.g. "re-listed", "designatedOn 2011-07-28 → 2011-07-29".' })
  changes: string[];
}

@ObjectType()
export class NewOrganisation {
  @Field(() => ID, { nullable: true, description: 'Null in a dry run.' })
  organisationId: string | null;

  @Field()
  name: string;

  @Field(() => [String])
  aliases: string[];

  @Field()
  reference: string;
}

@ObjectType()
export class AliasesAdded {
  @Field(() => ID)
  organisationId: string;

  @Field()
  organisationName: string;

  @Field(() => [String])
  aliases: string[];
}

@ObjectType({ description: 'A designation of this list that the list no longer carries: it ends, and is kept as history.' })
export class Delisting {
  @Field()
  reference: string;

  @Field(() => GraphQLLocalDate)
  delistedOn: string;

  @Field(() => ID)
  organisationId: string;

  @Field()
  organisationName: string;

  @Field({ description: 'False when this was its last active designation: it is marked, and its open takedown requests are flagged for review.' })
  organisationStillDesignated: boolean;
}

@ObjectType()
export class MatchCandidate {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}

@ObjectType({
  description: 'A listed entry PAX will not match on its own: its names fit several organisations, or one that already carries another entry of the same list. Nothing is imported for it until the names are told apart (e.g. an alias added to the right organisation, or the entry designated by hand).',
})
export class UnresolvedListing {
  @Field()
  reference: string;

  @Field()
  name: string;

  @Field()
  reason: string;

  @Field(() => Int, { nullable: true })
  line: number | null;

  @Field(() => [MatchCandidate])
  candidates: MatchCandidate[];
}

@ObjectType({ description: 'What an import changes (or, in a dry run, would change). Importing the same file again gives an empty diff.' })
export class DesignationImportResult {
  @Field(() => DesignationSource)
  source: DesignationSource;

  @Field()
  list: string;

  @Field(() => Authority)
  authority: Authority;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'The date the list gives itself, when it does.' })
  publishedOn: string | null;

  @Field()
  dryRun: boolean;

  @Field({ description: 'True when nothing changes (unresolved entries change nothing).' })
  empty: boolean;

  @Field(() => Int, { description: 'Entities (organisations) the list carries.' })
  entitiesRead: number;

  @Field(() => Int)
  individualsSkipped: number;

  @Field(() => Int, { description: 'Vessels and aircraft.' })
  otherSkipped: number;

  @Field(() => [NewOrganisation])
  newOrganisations: NewOrganisation[];

  @Field(() => [DesignationChange])
  newDesignations: DesignationChange[];

  @Field(() => [DesignationChange])
  changedDesignations: DesignationChange[];

  @Field(() => [AliasesAdded])
  aliasesAdded: AliasesAdded[];

  @Field(() => [Delisting])
  delistings: Delisting[];

  @Field(() => [UnresolvedListing])
  unresolved: UnresolvedListing[];

  @Field(() => Int, { description: 'Review flags raised on open takedown requests of organisations left with no active designation (0 in a dry run).' })
  reviewFlagsRaised: number;
}
