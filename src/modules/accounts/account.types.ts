import { ArrayMaxSize, IsBase64, IsOptional, IsUrl, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Distribution, Platform } from '../../common/enums';
import { ConnectionType } from '../../common/connection';
import { Account } from './account.entity';
import { EvidenceInput } from '../evidence/evidence.types';
import { Identifier } from '../../common/identifier';
import { MAX_AVATAR_BYTES } from './avatar-upload';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true };

/**
 * What PAX knows of an account's public profile; shared by flagging and screening. The handle is
 * not here: a flagged handle is an identifier, a screened one is data to screen as it came.
 */
@InputType('AccountProfileFields')
export class AccountProfileFields {
  @Field(() => Platform)
  platform: Platform;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 300)
  displayName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(10000)
  bio?: string;

  @Field(() => [String], { nullable: true, description: 'Backup links the account advertises: t.me, WhatsApp channels, sites.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(3, 2048, { each: true })
  links?: string[];

  @Field({ nullable: true, description: 'PDQ hash (64 hex digits) of the avatar, e.g. from pax hash-image.' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'avatarPdq must be 64 hex digits' })
  avatarPdq?: string;

  @Field({ nullable: true, description: 'The avatar as image bytes (base64, 2 MiB at most), instead of avatarPdq; PAX also hashes its trimmed, resized and cropped forms, so an edited re-upload still matches.' })
  @IsOptional()
  @IsBase64(undefined, { message: 'avatarImage must be base64' })
  @MaxLength(Math.ceil((MAX_AVATAR_BYTES * 4) / 3) + 4, { message: 'avatarImage is larger than 2 MiB' })
  avatarImage?: string;
}

@InputType()
export class FlagAccountInput extends AccountProfileFields {
  @Field()
  @Identifier({ max: 200 })
  handle: string;

  @Field({ nullable: true })
  @IsOptional()
  @Identifier({ max: 200 })
  platformAccountId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'url must be an http(s) URL' })
  @Identifier({ max: 2048 })
  url?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'organisationIds must be organisation ids' })
  organisationIds?: string[];

  @Field(() => Distribution, { defaultValue: Distribution.ALL_AGENCIES })
  distribution: Distribution;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(10000)
  internalNotes?: string;

  @Field(() => [EvidenceInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  evidence?: EvidenceInput[];
}

@InputType()
export class AccountFilter {
  @Field(() => Platform, { nullable: true })
  platform?: Platform;

  @Field({ nullable: true, description: 'Exact handle, case-insensitive, with or without @.' })
  @IsOptional()
  @Identifier({ max: 200 })
  handle?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  organisationId?: string;
}

@ObjectType()
export class AccountConnection extends ConnectionType(Account, 'Account') {}
