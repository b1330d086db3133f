import { IsBase64, IsOptional, IsUrl, Matches, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Classification } from '../../common/enums';
import { EvidenceItem } from './evidence.entity';
import { Identifier } from '../../common/identifier';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true };

@InputType({ description: 'A URL, a captured copy of the bytes, or both.' })
export class EvidenceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'evidence url must be an http(s) URL' })
  @Identifier({ max: 2048 })
  url?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(4000)
  description?: string;

  @Field(() => Classification, { defaultValue: Classification.RESTRICTED, description: 'RESTRICTED unless said otherwise.' })
  classification: Classification;

  @Field(() => String, { nullable: true, description: 'The captured bytes, base64; sealed at rest and size-limited (PAX_EVIDENCE_MAX_BYTES).' })
  @IsOptional()
  @IsBase64(undefined, { message: 'contentBase64 must be base64' })
  contentBase64?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mediaType must look like type/subtype' })
  mediaType?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the copy was taken; now by default.' })
  capturedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Your SHA-256 (hex) of the bytes; the upload is refused if it differs.' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hex digits' })
  sha256?: string | null;
}

@ObjectType({ description: 'The outcome of recomputing an evidence item’s hash from its sealed bytes.' })
export class EvidenceVerification {
  @Field(() => EvidenceItem)
  evidence: EvidenceItem;

  @Field({ description: 'True when the bytes open and hash to the stored SHA-256.' })
  intact: boolean;

  @Field(() => String, { nullable: true })
  storedSha256: string | null;

  @Field(() => String, { nullable: true, description: 'Null when the sealed bytes no longer open (tampered ciphertext).' })
  computedSha256: string | null;

  @Field()
  detail: string;

  @Field()
  checkedAt: Date;
}
