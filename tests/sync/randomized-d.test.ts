import { randomizedSuite } from './randomized';

/** Seeds 151–200 of the randomized reliability test (see randomized.ts). */
randomizedSuite(151, 50);
