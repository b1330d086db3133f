import { ArrayMaxSize, ArrayMinSize, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Platform } from '../../common/enums';
import { TakedownStatus } from '../takedowns/takedown.enums';
import { WebhookEndpoint, WebhookEventType } from './webhook.entity';

@InputType()
export class WebhookFilterInput {
  @Field(() => [Platform], { nullable: true })
  platforms?: Platform[] | null;

  @Field(() => [TakedownStatus], { nullable: true, description: 'TAKEDOWN_STATUS_CHANGED only.' })
  statuses?: TakedownStatus[] | null;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'https only; in development also http to localhost.' })
  @MaxLength(2048)
  url: string;

  @Field(() => [WebhookEventType])
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  eventTypes: WebhookEventType[];

  @Field(() => WebhookFilterInput, { nullable: true })
  filter?: WebhookFilterInput | null;
}

@ObjectType({ description: 'An endpoint with its signing secret, shown only in the answer that created or rotated it.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field({ description: 'The Standard Webhooks secret (whsec_…); PAX keeps it sealed and never shows it again.' })
  secret: string;
}

@InputType()
export class RedeliverWebhooksInput {
  @Field(() => ID)
  endpointId: string;

  @Field(() => [ID], { nullable: true, description: 'The failed deliveries to send again; all of the endpoint\'s failed deliveries when omitted.' })
  @ArrayMaxSize(1000)
  deliveryIds?: string[] | null;
}

export const MAX_DELIVERY_PAGE = 200;
export const MAX_ENDPOINTS_PER_PARTNER = 20;
