import type { ResolverContext } from '../../services';
import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { noteSensitiveRead } from '../../context';
import { AGENCY_CASEWORK, Role } from '../../auth/roles';
import { Complaint } from './complaint.entity';
import { ComplaintGroup, ComplaintReceipt, SubmitComplaintInput, TriageComplaintInput } from './complaint.types';

@Resolver(() => Complaint)
export class ComplaintResolver {
  @Authorized([Role.AGENCY_INTAKE])
  @Mutation(() => ComplaintReceipt, { description: 'Files a complaint from the public for your agency. Rate-limited per agency (RATE_LIMITED).' })
  submitComplaint(@Ctx() ctx: ResolverContext, @Arg('input', () => SubmitComplaintInput) input: SubmitComplaintInput) {
    return ctx.services.complaints.submit(ctx, input);
  }

  @Authorized(AGENCY_CASEWORK)
  @Query(() => [ComplaintGroup], { description: 'Your agency’s NEW complaints, duplicates grouped by account or URL, largest groups first.' })
  complaintTriage(@Ctx() ctx: ResolverContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number) {
    return ctx.services.complaints.triageQueue(ctx, first);
  }

  @Authorized(AGENCY_CASEWORK)
  @Mutation(() => Complaint, { description: 'DISMISSED with a note, MERGED into another complaint, or PROMOTED to a flagged account (and a takedown draft).' })
  triageComplaint(@Ctx() ctx: ResolverContext, @Arg('input', () => TriageComplaintInput) input: TriageComplaintInput) {
    return ctx.services.complaints.triage(ctx, input);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The complainant’s contact: personal data, sealed at rest; each read is audited.' })
  contact(@Root() complaint: Complaint, @Ctx() ctx: ResolverContext) {
    const contact = ctx.services.complaints.contactOf(complaint);
    if (contact) noteSensitiveRead(ctx, 'read complaint contact', 'Complaint', complaint.id);
    return contact;
  }
}
