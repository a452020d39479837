import { z } from 'zod';

export const mamoOptions = z
  .strictObject({
    /** Length of the search phase in epochs (default 1 when neither this nor searchSteps is given). */
    searchEpochs: z.number().int().positive().max(100_000).optional(),
    /** Length of the search phase in optimizer steps, instead of epochs. */
    searchSteps: z.number().int().positive().max(100_000_000).optional(),
    /** How Q is compared with the mean of its non-zero entries: '>=' (the paper's recipe) or '>'. */
    threshold: z.enum(['>=', '>']).default('>='),
    /**
     * Where task gradients are taken. Only 'shared' works: the modules sit beside the trunk, so gradients
     * at the encoder output (MGDA-UB's representation space) never reach them. 'representation' is
     * accepted by the schema only to be refused with that explanation.
     */
    gradientSpace: z.enum(['shared', 'representation']).default('shared'),
    /** Min-norm solver of the MGDA phase for K > 2 (K = 2 uses the exact pair rule). */
    solver: z.enum(['frank-wolfe', 'projected-gradient']).default('frank-wolfe'),
    /** Iteration cap of the K > 2 min-norm solver. */
    maxIterations: z.number().int().positive().max(100_000).default(250),
  })
  .refine((o) => o.searchEpochs === undefined || o.searchSteps === undefined, {
    message: 'give the search length as searchEpochs or as searchSteps, not both',
    path: ['searchSteps'],
  });
export type MamoOptions = z.infer<typeof mamoOptions>;
