import { randomizedSuite } from '../sync/randomized';

/** Soak tier: seeds 10250–10499 of the randomized reliability test (four files of 250 so the runner uses both cores). */
randomizedSuite(10250, 250);
