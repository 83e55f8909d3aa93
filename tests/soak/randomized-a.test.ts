import { randomizedSuite } from '../sync/randomized';

/** Soak tier: seeds 10000–10249 of the randomized reliability test (four files of 250 so the runner uses both cores). */
randomizedSuite(10000, 250);
