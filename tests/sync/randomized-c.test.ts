import { randomizedSuite } from './randomized';

/** Seeds 101–150 of the randomized reliability test (see randomized.ts). */
randomizedSuite(101, 50);
