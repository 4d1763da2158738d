import { accountBalanceOf } from '../../connectors/ehr/mapping/invoice-rows.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const billingResolvers: Resolvers = {
  Patient: {
    coverage: (p, _a, ctx) => ctx.ehr.coverage(p),
    claims: (p, _a, ctx) => ctx.ehr.claims(p),
    explanationOfBenefits: (p, _a, ctx) => ctx.ehr.explanationOfBenefits(p),
    invoices: (p, _a, ctx) => ctx.ehr.invoices(p),
    // From the same (batched, per-request cached) invoice list: no second FHIR search.
    accountBalance: async (p, _a, ctx) => accountBalanceOf(p, await ctx.ehr.invoices(p)),
  },
  Claim: {
    patient: (c, _a, ctx) => ctx.ehr.patient(c.patientId),
  },
};
