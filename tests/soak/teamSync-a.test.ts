import { teamRandomizedSuite } from '../teamSync/randomized';

/** Soak tier: seeds 20000–20249 of the randomized tier-2 test (four files of 250, so the runner uses both cores). */
teamRandomizedSuite(20000, 250);
