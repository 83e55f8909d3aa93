import { randomizedSuite } from '../sync/randomized';

/** Soak tier: seeds 10750–10999 of the randomized reliability test (four files of 250 so the runner uses both cores). */
randomizedSuite(10750, 250);
