import type { Resolvers } from '../generated/resolvers-types.js';

export const billingResolvers: Resolvers = {
  Patient: {
    coverage: (p, _a, ctx) => ctx.ehr.coverage(p),
    claims: (p, _a, ctx) => ctx.ehr.claims(p),
    explanationOfBenefits: (p, _a, ctx) => ctx.ehr.explanationOfBenefits(p),
  },
  Claim: {
    patient: (c, _a, ctx) => ctx.ehr.patient(c.patientId),
  },
};
