import type { ResolverContext } from '../../services';
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import { DesignationImportResult, ImportDesignationsInput } from './designation-import.types';

@Resolver()
export class DesignationImportResolver {
  @Authorized([Role.AGENCY_SYSTEM])
  @Mutation(() => DesignationImportResult, {
    description: 'Imports a whole published list (UN, OFAC SDN, UK, EU, or PAX CSV): new organisations, new and changed designations, aliases, and de-listings, in one transaction. Importing the same file again changes nothing. A malformed file or another schema is refused naming the line or element, with nothing written.',
  })
  importDesignations(@Ctx() ctx: ResolverContext, @Arg('input', () => ImportDesignationsInput) input: ImportDesignationsInput) {
    return ctx.services.designationImports.import(ctx, input);
  }
}
