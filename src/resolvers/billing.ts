import { accountBalanceOf } from '../../connectors/ehr/mapping/invoice-rows.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { visibleRows } from './withheld.js';

export const billingResolvers: Resolvers = {
  Patient: {
    coverage: async (p, _a, ctx, info) => visibleRows(ctx, info, 'Coverage', await ctx.ehr.coverage(p)),
    claims: async (p, _a, ctx, info) => visibleRows(ctx, info, 'Claim', await ctx.ehr.claims(p)),
    explanationOfBenefits: async (p, _a, ctx, info) =>
      visibleRows(ctx, info, 'ExplanationOfBenefit', await ctx.ehr.explanationOfBenefits(p)),
    invoices: async (p, _a, ctx, info) => visibleRows(ctx, info, 'Invoice', await ctx.ehr.invoices(p)),
    // From the same (batched, per-request cached) invoice list: no second FHIR search. Only the invoices the caller
    // may read count (a tester read a withheld sensitive invoice's amount in the balance); the rest are withheld, said.
    accountBalance: async (p, _a, ctx, info) => accountBalanceOf(p, visibleRows(ctx, info, 'Invoice', await ctx.ehr.invoices(p))),
  },
  Claim: {
    patient: (c, _a, ctx) => ctx.ehr.patient(c.patientId),
  },
};
