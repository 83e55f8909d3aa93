import { randomizedSuite } from './randomized';

/** Seeds 1–50 of the randomized reliability test (see randomized.ts). */
randomizedSuite(1, 50);
