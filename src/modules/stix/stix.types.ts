import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { Distribution } from '../../common/enums';
import { StixCollection } from './stix-export';
import { StixImportDecision } from './stix-import.service';

registerEnumType(StixCollection, { name: 'StixCollection', description: 'The visibility scopes of the STIX export, also the TAXII collections.' });
registerEnumType(StixImportDecision, { name: 'StixImportDecision' });

@InputType()
export class ProposeStixImportInput {
  @Field(() => GraphQLJSONObject, { description: 'A STIX 2.1 bundle, e.g. exported from OpenCTI or MISP.' })
  bundle: Record<string, unknown>;

  @Field(() => Distribution, { nullable: true, description: 'For the accounts it creates; ORIGINATOR_ONLY unless given.' })
  distribution?: Distribution;
}

@InputType()
export class DecideStixImportInput {
  @Field(() => ID)
  id: string;

  @Field(() => StixImportDecision)
  decision: StixImportDecision;
}
