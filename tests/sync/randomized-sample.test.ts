import { randomizedSuite } from './randomized';

/** The fast tier's sample of the randomized reliability test: seeds 1–8 (the soak tier runs 1,000 more, tests/soak). */
randomizedSuite(1, 8);
