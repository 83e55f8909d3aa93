import { randomizedSuite } from './randomized';

/** Seeds 51–100 of the randomized reliability test (see randomized.ts). */
randomizedSuite(51, 50);
