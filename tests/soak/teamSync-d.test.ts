import { teamRandomizedSuite } from '../teamSync/randomized';

/** Soak tier: seeds 20750–20999 of the randomized tier-2 test (four files of 250, so the runner uses both cores). */
teamRandomizedSuite(20750, 250);
