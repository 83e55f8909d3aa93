import { randomizedSuite } from '../sync/randomized';

/** Soak tier: seeds 10500–10749 of the randomized reliability test (four files of 250 so the runner uses both cores). */
randomizedSuite(10500, 250);
