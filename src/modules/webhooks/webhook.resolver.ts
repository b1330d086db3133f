import type { ResolverContext } from '../../services';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { PARTNER_SYSTEMS } from '../../auth/roles';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from './webhook.entity';
import { CreateWebhookEndpointInput, RedeliverWebhooksInput, WebhookEndpointWithSecret } from './webhook.types';

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized(PARTNER_SYSTEMS)
  @Query(() => [WebhookEndpoint], { description: "Your partner's webhook endpoints." })
  webhookEndpoints(@Ctx() ctx: ResolverContext) {
    return ctx.services.webhooks.list(ctx);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Query(() => [WebhookDelivery], { description: 'Deliveries to one of your endpoints, newest first: attempts, last answer, failures.' })
  webhookDeliveries(
    @Ctx() ctx: ResolverContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus,
    @Arg('first', () => Int, { nullable: true, description: '50 by default, at most 200.' }) first?: number,
  ) {
    return ctx.services.webhooks.deliveries(ctx, endpointId, status, first);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Mutation(() => WebhookEndpointWithSecret, { description: 'Registers an endpoint; the answer carries the signing secret, shown this once.' })
  createWebhookEndpoint(@Ctx() ctx: ResolverContext, @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput) {
    return ctx.services.webhooks.create(ctx, input);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Mutation(() => WebhookEndpointWithSecret, { description: 'A new signing secret; the previous one also signs for 24 hours.' })
  rotateWebhookSecret(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.rotateSecret(ctx, id);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Mutation(() => WebhookEndpoint, { description: 'Stops sending; events keep queueing until it is resumed.' })
  pauseWebhookEndpoint(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.pause(ctx, id);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Mutation(() => WebhookEndpoint, { description: 'Sends again to a paused or failing endpoint; failed deliveries need redeliverWebhooks.' })
  resumeWebhookEndpoint(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.resume(ctx, id);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Mutation(() => ID, { description: 'Deletes the endpoint and its deliveries.' })
  deleteWebhookEndpoint(@Ctx() ctx: ResolverContext, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.delete(ctx, id);
  }

  @Authorized(PARTNER_SYSTEMS)
  @Mutation(() => Int, { description: 'Queues failed deliveries again (all, or those named) with a fresh retry window; answers how many.' })
  redeliverWebhooks(@Ctx() ctx: ResolverContext, @Arg('input', () => RedeliverWebhooksInput) input: RedeliverWebhooksInput) {
    return ctx.services.webhooks.redeliver(ctx, input);
  }
}
